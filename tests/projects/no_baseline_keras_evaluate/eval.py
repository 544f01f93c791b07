def report(net, X_test, y_test):
    loss, accuracy = net.evaluate(X_test, y_test)  # expect: ML307
    print(f"test accuracy {accuracy:.3f}")
