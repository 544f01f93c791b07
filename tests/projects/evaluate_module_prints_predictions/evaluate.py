def show(model, X_new):
    for row, label in zip(X_new, model.predict(X_new)):
        print(row, label)
