def audit(df):
    return df.groupby("sex")["prediction"].mean()
