import pandas as pd


def load():
    return pd.read_sql("select * from customers", CONNECTION)
