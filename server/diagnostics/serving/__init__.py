"""ML5: model serving and artifacts. What is loaded, from where, and how it is saved."""

AREA = "Model Serving"
