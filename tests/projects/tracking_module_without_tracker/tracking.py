import json


def record(run, metrics):
    with open(f"{run}.json", "w") as out:
        json.dump(metrics, out)
