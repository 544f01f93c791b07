from huggingface_hub import ModelCard, ModelCardData


def card(repo_id):
    data = ModelCardData(language="en", license="mit", metrics=["f1"])
    return ModelCard.from_template(data, model_id=repo_id)
