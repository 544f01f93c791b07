def by_age(scored):
    return scored.groupby("age")["error"].mean()
