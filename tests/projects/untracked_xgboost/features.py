def make_features(frame):
    return frame.assign(ratio=frame["debt"] / frame["income"])
