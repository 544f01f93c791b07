def compile_for_auc(net):
    net.compile(optimizer="adam", loss="binary_crossentropy", metrics=["AUC"])
    return net
