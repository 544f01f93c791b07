"""Hugging Face loading calls, shared by ML502 and ML503."""

from __future__ import annotations

from ...model.module_model import ModuleModel

HF_ROOTS = ("transformers", "datasets", "huggingface_hub", "diffusers", "sentence_transformers", "peft",
            "optimum", "evaluate", "accelerate", "timm", "open_clip")
HF_METHODS = {"from_pretrained", "from_config"}


def hugging_face_calls(model: ModuleModel):
    """(chunk, call, short name) of calls into Hugging Face libraries; a `.from_pretrained`
    method whose receiver we cannot resolve counts in a file that imports one of them."""
    for chunk, call, name in model.calls_matching(lambda name: name.split(".", 1)[0] in HF_ROOTS):
        yield chunk, call, name.rsplit(".", 1)[-1]
    for chunk, call in model.method_calls(*HF_METHODS):
        if model.call_name(call) is None:
            yield chunk, call, call.func.attr
