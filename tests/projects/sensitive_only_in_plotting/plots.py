import matplotlib.pyplot as plt


def histogram(df):
    plt.hist(df["age"], bins=20)
    plt.savefig("age.png")
