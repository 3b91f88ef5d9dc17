# /// script
# requires-python = ">=3.10"
# dependencies = [
#   "trl>=0.21",
#   "transformers>=4.56",
#   "datasets>=3.6",
#   "peft>=0.17",
#   "accelerate>=1.10",
#   "huggingface_hub>=0.34",
# ]
# ///
"""Trains one Triad tier model on Hugging Face Jobs: SFT or DPO with TRL on a dataset Triad pushed to the Hub.

Run by Triad as `uv run training/train.py …` inside a Job; runs anywhere uv and a GPU are. It reads the dataset
repo at a pinned revision, trains the base model (LoRA optional), pushes the result to a model repo and, for CPU
Spaces, a GGUF conversion beside it. Every line on stdout that starts with `TRIAD_EVENT ` is one JSON event the
app reads (stage, progress with loss, result, error); everything else is a log line for people.

`--validate-only` checks arguments and the dataset's rows without importing the training stack, so the
format rules are tested without a GPU.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Iterable

EXIT_BAD_INPUT = 2
REPO_ID = re.compile(r"^[A-Za-z0-9][\w.-]{0,95}/[A-Za-z0-9][\w.-]{0,95}$")
REVISION = re.compile(r"^[\w][\w./-]{0,199}$")
ROLES = {"system", "user", "assistant"}
# llama.cpp release whose convert_hf_to_gguf.py converts the trained model for CPU Spaces: the one node-llama-cpp
# (the app's local runtime) is built from, so a converted file loads in the app too.
LLAMA_CPP_TAG = "v0.4.0"


def emit(event: str, **fields: Any) -> None:
    """One machine-readable line for the app; flushed so the Jobs log stream carries it at once."""
    print("TRIAD_EVENT " + json.dumps({"event": event, "time": time.time(), **fields}, ensure_ascii=False), flush=True)


class BadInput(Exception):
    """Input the user can fix: printed as one message, exit code 2."""


def repo_at_revision(value: str) -> tuple[str, str]:
    """`owner/name@revision` (revision defaults to main)."""
    repo, _, revision = value.partition("@")
    if not REPO_ID.match(repo):
        raise argparse.ArgumentTypeError(f"'{value}' is not owner/name[@revision]")
    revision = revision or "main"
    if not REVISION.match(revision):
        raise argparse.ArgumentTypeError(f"revision '{revision}' is not a commit or branch name")
    return repo, revision


def repo_id(value: str) -> str:
    if not REPO_ID.match(value):
        raise argparse.ArgumentTypeError(f"'{value}' is not owner/name")
    return value


def positive_float(value: str) -> float:
    number = float(value)
    if not number > 0:
        raise argparse.ArgumentTypeError(f"must be > 0, got {value}")
    return number


def positive_int(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be ≥ 1, got {value}")
    return number


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="train.py", description="Train a Triad tier model with TRL (SFT or DPO).")
    parser.add_argument("--kind", choices=["sft", "dpo"], required=True, help="supervised fine-tuning or preference optimisation")
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--dataset", type=repo_at_revision, help="the dataset repo Triad pushed, owner/name@commit")
    source.add_argument("--dataset-file", type=Path, help="a local JSONL file instead of a dataset repo (checks and tests)")
    parser.add_argument("--base-model", help="the model to fine-tune, e.g. Qwen/Qwen2.5-0.5B-Instruct")
    parser.add_argument("--output-repo", type=repo_id, help="the model repo to push the result to")
    parser.add_argument("--epochs", type=positive_float, default=1.0)
    parser.add_argument("--max-steps", type=int, default=-1, help="stop after this many steps (-1: run the epochs)")
    parser.add_argument("--learning-rate", type=positive_float, help="default 2e-5 for SFT, 5e-7 for DPO")
    parser.add_argument("--batch-size", type=positive_int, default=4, help="per device")
    parser.add_argument("--grad-accum", type=positive_int, default=4, help="gradient accumulation steps")
    parser.add_argument("--max-length", type=positive_int, default=2048, help="tokens per example")
    parser.add_argument("--beta", type=positive_float, default=0.1, help="DPO's β")
    parser.add_argument("--lora", action="store_true", help="train LoRA adapters and merge them before pushing")
    parser.add_argument("--lora-r", type=positive_int, default=16)
    parser.add_argument("--lora-alpha", type=positive_int, default=32)
    parser.add_argument("--gguf", action="store_true", help="also push a GGUF conversion (for CPU Spaces)")
    parser.add_argument("--gguf-type", choices=["q8_0", "f16", "bf16"], default="q8_0")
    parser.add_argument("--public", action="store_true", help="push to a public repo (default: private)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--validate-only", action="store_true", help="check the arguments and the dataset rows, then stop")
    args = parser.parse_args(argv)
    if not args.validate_only:
        missing = [flag for flag, value in (("--base-model", args.base_model), ("--output-repo", args.output_repo)) if not value]
        if missing:
            parser.error(f"training needs {' and '.join(missing)}")
    if args.learning_rate is None:
        args.learning_rate = 2e-5 if args.kind == "sft" else 5e-7
    return args


def _text(value: Any) -> bool:
    return isinstance(value, str) and value.strip() != ""


def row_problem(kind: str, row: Any) -> str | None:
    """What is wrong with one dataset row for TRL, or None. Mirrors the formats Triad's dataset builder writes."""
    if not isinstance(row, dict):
        return "is not a JSON object"
    if kind == "sft":
        messages = row.get("messages")
        if not isinstance(messages, list) or len(messages) < 2:
            return "needs 'messages': a list of at least two turns"
        for index, message in enumerate(messages):
            if not isinstance(message, dict) or message.get("role") not in ROLES:
                return f"messages[{index}] needs a role of system, user or assistant"
            if not _text(message.get("content")):
                return f"messages[{index}] has no content"
        if messages[-1]["role"] != "assistant":
            return "the last turn must be the assistant's answer"
        if not any(m["role"] == "user" for m in messages):
            return "has no user turn"
        return None
    for field in ("prompt", "chosen", "rejected"):
        if not _text(row.get(field)):
            return f"needs a non-empty '{field}' string"
    if row["chosen"].strip() == row["rejected"].strip():
        return "'chosen' and 'rejected' are the same answer"
    return None


def validate_rows(kind: str, rows: Iterable[tuple[int, Any]]) -> int:
    """Checks every row; raises BadInput naming up to ten bad rows by line. Returns how many rows there were."""
    count = 0
    problems: list[str] = []
    for line, row in rows:
        count += 1
        problem = row_problem(kind, row)
        if problem:
            problems.append(f"line {line}: {problem}")
    if problems:
        more = f" (and {len(problems) - 10} more)" if len(problems) > 10 else ""
        raise BadInput(f"{len(problems)} of {count} rows are not {kind.upper()} examples: " + "; ".join(problems[:10]) + more)
    if count == 0:
        raise BadInput("the dataset has no rows")
    return count


def read_jsonl(path: Path) -> Iterable[tuple[int, Any]]:
    try:
        handle = path.open(encoding="utf-8")
    except OSError as error:
        raise BadInput(f"{path}: cannot be read ({error.strerror})") from error
    with handle:
        for line, text in enumerate(handle, start=1):
            if not text.strip():
                continue
            try:
                yield line, json.loads(text)
            except json.JSONDecodeError as error:
                raise BadInput(f"{path}:{line}: not valid JSON ({error.msg})") from error


def load_splits(args: argparse.Namespace) -> dict[str, Any]:
    """The dataset's train and eval splits from the Hub, at the pinned revision."""
    from datasets import load_dataset

    repo, revision = args.dataset
    emit("stage", stage="loading_dataset", dataset=f"{repo}@{revision}")
    splits = load_dataset(repo, revision=revision)
    if "train" not in splits:
        raise BadInput(f"{repo}@{revision} has no train split (found: {', '.join(splits) or 'none'})")
    for name, split in splits.items():
        validate_rows(args.kind, ((index + 1, row) for index, row in enumerate(split)))
    return {"train": splits["train"], "eval": splits.get("eval") or splits.get("test")}


def train(args: argparse.Namespace) -> None:
    import torch
    import trl
    from huggingface_hub import HfApi
    from transformers import AutoTokenizer, TrainerCallback

    class ProgressEvents(TrainerCallback):
        def on_log(self, _args, state, _control, logs=None, **_kwargs):
            if logs:
                emit("progress", step=state.global_step, max_steps=state.max_steps, epoch=state.epoch, **{k: v for k, v in logs.items() if isinstance(v, (int, float))})

    splits = load_splits(args)
    emit("stage", stage="loading_model", base_model=args.base_model)
    tokenizer = AutoTokenizer.from_pretrained(args.base_model)
    peft_config = None
    if args.lora:
        from peft import LoraConfig

        peft_config = LoraConfig(r=args.lora_r, lora_alpha=args.lora_alpha, lora_dropout=0.05, target_modules="all-linear", task_type="CAUSAL_LM")
    common = dict(
        output_dir=tempfile.mkdtemp(prefix="triad-train-"),
        num_train_epochs=args.epochs,
        max_steps=args.max_steps,
        learning_rate=args.learning_rate,
        per_device_train_batch_size=args.batch_size,
        gradient_accumulation_steps=args.grad_accum,
        max_length=args.max_length,
        logging_steps=5,
        eval_strategy="epoch" if splits["eval"] is not None else "no",
        save_strategy="no",
        report_to="none",
        seed=args.seed,
        # T4s have no bfloat16; A10G and newer do.
        bf16=torch.cuda.is_available() and torch.cuda.is_bf16_supported(),
    )
    if args.kind == "sft":
        trainer = trl.SFTTrainer(
            model=args.base_model, args=trl.SFTConfig(**common), train_dataset=splits["train"], eval_dataset=splits["eval"],
            processing_class=tokenizer, peft_config=peft_config, callbacks=[ProgressEvents()],
        )
    else:
        trainer = trl.DPOTrainer(
            model=args.base_model, args=trl.DPOConfig(beta=args.beta, **common), train_dataset=splits["train"], eval_dataset=splits["eval"],
            processing_class=tokenizer, peft_config=peft_config, callbacks=[ProgressEvents()],
        )
    emit("stage", stage="training")
    result = trainer.train()
    metrics = dict(result.metrics)
    if splits["eval"] is not None:
        metrics.update(trainer.evaluate())

    emit("stage", stage="pushing", repo=args.output_repo)
    model = trainer.model.merge_and_unload() if args.lora else trainer.model
    out = Path(common["output_dir"]) / "final"
    model.save_pretrained(out)
    tokenizer.save_pretrained(out)
    api = HfApi()
    api.create_repo(args.output_repo, private=not args.public, exist_ok=True)
    commit = api.upload_folder(repo_id=args.output_repo, folder_path=out, commit_message=f"Triad {args.kind.upper()} on {args.dataset[0]}@{args.dataset[1]}")
    gguf_file = None
    if args.gguf:
        gguf_file, commit = push_gguf(api, args, out)
    emit("result", model_repo=args.output_repo, commit=commit.oid, gguf_file=gguf_file, base_model=args.base_model,
         dataset=f"{args.dataset[0]}@{args.dataset[1]}", metrics={k: v for k, v in metrics.items() if isinstance(v, (int, float))})


def push_gguf(api: Any, args: argparse.Namespace, model_dir: Path) -> tuple[str, Any]:
    """Converts the pushed model with llama.cpp's own converter and pushes the GGUF beside it."""
    emit("stage", stage="converting_gguf", type=args.gguf_type)
    work = Path(tempfile.mkdtemp(prefix="triad-gguf-"))
    subprocess.run(["git", "clone", "--depth=1", "--branch", LLAMA_CPP_TAG, "https://github.com/ggml-org/llama.cpp", str(work / "llama.cpp")], check=True)
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "-r", str(work / "llama.cpp" / "requirements" / "requirements-convert_hf_to_gguf.txt")], check=True)
    name = f"{args.output_repo.split('/')[1]}-{args.gguf_type}.gguf"
    subprocess.run([sys.executable, str(work / "llama.cpp" / "convert_hf_to_gguf.py"), str(model_dir), "--outtype", args.gguf_type, "--outfile", str(work / name)], check=True)
    commit = api.upload_file(path_or_fileobj=str(work / name), path_in_repo=name, repo_id=args.output_repo, commit_message=f"GGUF ({args.gguf_type}) for CPU Spaces")
    return name, commit


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    try:
        if args.validate_only:
            if args.dataset_file is None:
                raise BadInput("--validate-only checks a local --dataset-file (a dataset repo is checked when training starts)")
            count = validate_rows(args.kind, read_jsonl(args.dataset_file))
            emit("validated", kind=args.kind, rows=count)
            return 0
        if args.dataset is None:
            raise BadInput("training reads a dataset repo: give --dataset owner/name@commit")
        if os.environ.get("HF_TOKEN") is None:
            raise BadInput("HF_TOKEN is not set: the job needs a token that can read the dataset and write the model repo")
        train(args)
        return 0
    except BadInput as error:
        emit("error", reason="bad_input", message=str(error))
        print(f"train.py: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except Exception as error:  # noqa: BLE001 - the app needs the reason of any failure as an event
        emit("error", reason="failed", message=f"{type(error).__name__}: {error}")
        raise


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
