#!/usr/bin/env python3
"""Writes a random-weight GGUF with the architecture and shape of Qwen2.5-0.5B-Instruct, for speed benchmarks.

The real model cannot be downloaded on the build machines, and inference speed depends on the shape, not on
the values of the weights. The file is written with llama.cpp's own gguf-py (pass --gguf-py, the folder in the
llama.cpp source node-llama-cpp ships) in F16; quantise it to Q4_K_M with llama-quantize afterwards.

Shape (Qwen/Qwen2.5-0.5B-Instruct config.json): qwen2, 24 layers, hidden 896, 14 attention heads / 2 KV heads
(head size 64), FFN 4864, vocab 151936, tied embeddings, q/k/v biases, RMSNorm eps 1e-6, RoPE base 1e6,
context 32768.

Tokenizer: a gpt2 byte-level BPE (pre-tokenizer "qwen2", as the real file) whose vocabulary is the 256 byte
symbols plus merges learnt here from the --corpus text, then Qwen's own special tokens at their real ids
(<|endoftext|> 151643, <|im_start|> 151644, <|im_end|> 151645, ...), and every other id padded as
"[PADn]" of type UNUSED, which is how llama.cpp's converter pads the real vocabulary to 151936.
The embedding rows of every token that is not a learnt one (special and padding) are zero, so their logit is
exactly 0, below the best of the learnt tokens' random logits: a greedy random model never ends its answer early
(generation benchmarks get the length they ask for) and writes text, not empty padding, so the per-token text
work (detokenising, stop-trigger checks, streaming) is exercised as with a real model.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

HIDDEN = 896
LAYERS = 24
HEADS = 14
KV_HEADS = 2
HEAD_DIM = HIDDEN // HEADS
FFN = 4864
VOCAB = 151936
CONTEXT = 32768
SPECIAL_TOKENS = [
    "<|endoftext|>", "<|im_start|>", "<|im_end|>", "<|object_ref_start|>", "<|object_ref_end|>", "<|box_start|>",
    "<|box_end|>", "<|quad_start|>", "<|quad_end|>", "<|vision_start|>", "<|vision_end|>", "<|vision_pad|>",
    "<|image_pad|>", "<|video_pad|>", "<tool_call>", "</tool_call>", "<|fim_prefix|>", "<|fim_middle|>",
    "<|fim_suffix|>", "<|fim_pad|>", "<|repo_name|>", "<|file_sep|>",
]
FIRST_SPECIAL_ID = 151643
# ChatML, the format Qwen2.5-Instruct is trained on (written here, not copied from the model repository).
CHAT_TEMPLATE = (
    "{%- if messages[0]['role'] != 'system' %}<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n{%- endif %}"
    "{%- for message in messages %}<|im_start|>{{ message['role'] }}\n{{ message['content'] }}<|im_end|>\n{%- endfor %}"
    "{%- if add_generation_prompt %}<|im_start|>assistant\n{%- endif %}"
)
WORD = re.compile(r" ?[A-Za-z]+| ?[0-9]| ?[^\sA-Za-z0-9]+|\s+")


def byte_symbols() -> list[str]:
    """GPT-2's reversible byte -> printable character map (what byte-level BPE vocabularies are written in)."""
    printable = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    chars = printable[:]
    extra = 0
    for b in range(256):
        if b not in printable:
            printable.append(b)
            chars.append(256 + extra)
            extra += 1
    table = dict(zip(printable, chars))
    return [chr(table[b]) for b in range(256)]


def learn_merges(text: str, count: int) -> list[tuple[str, str]]:
    """Plain BPE training over the corpus' words, `count` merges (a real tokenizer layout, smaller vocabulary)."""
    symbols = byte_symbols()
    words = Counter(tuple(symbols[b] for b in w.encode("utf-8")) for w in WORD.findall(text))
    merges: list[tuple[str, str]] = []
    for _ in range(count):
        pairs: Counter[tuple[str, str]] = Counter()
        for word, freq in words.items():
            for pair in zip(word, word[1:]):
                pairs[pair] += freq
        if not pairs:
            break
        best = max(pairs.items(), key=lambda item: (item[1], item[0]))[0]
        merges.append(best)
        joined = best[0] + best[1]
        merged: Counter[tuple[str, ...]] = Counter()
        for word, freq in words.items():
            out: list[str] = []
            i = 0
            while i < len(word):
                if i + 1 < len(word) and (word[i], word[i + 1]) == best:
                    out.append(joined)
                    i += 2
                else:
                    out.append(word[i])
                    i += 1
            merged[tuple(out)] += freq
        words = merged
    return merges


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gguf-py", required=True, help="llama.cpp's gguf-py folder")
    parser.add_argument("--out", required=True, help="the F16 GGUF to write")
    parser.add_argument("--corpus", nargs="+", required=True, help="text files the tokenizer's merges are learnt from")
    parser.add_argument("--merges", type=int, default=1500, help="number of BPE merges to learn")
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()

    sys.path.insert(0, args.gguf_py)
    try:
        import numpy as np
        import gguf
    except ImportError as error:
        print(f"write-random-gguf: {error}; install numpy (apt-get install -y python3-numpy)", file=sys.stderr)
        return 1

    text = "\n".join(Path(p).read_text(encoding="utf-8") for p in args.corpus)
    merges = learn_merges(text, args.merges)
    tokens = byte_symbols()
    seen = set(tokens)
    for left, right in merges:
        if left + right not in seen:
            tokens.append(left + right)
            seen.add(left + right)
    if len(tokens) > FIRST_SPECIAL_ID:
        raise SystemExit(f"write-random-gguf: {len(tokens)} learnt tokens do not fit below the special tokens")
    learnt = len(tokens)
    types = [gguf.TokenType.NORMAL] * learnt
    while len(tokens) < VOCAB:
        index = len(tokens)
        special = index - FIRST_SPECIAL_ID
        if 0 <= special < len(SPECIAL_TOKENS):
            tokens.append(SPECIAL_TOKENS[special])
            types.append(gguf.TokenType.CONTROL)
        else:
            tokens.append(f"[PAD{index}]")
            types.append(gguf.TokenType.UNUSED)

    writer = gguf.GGUFWriter(args.out, "qwen2")
    writer.add_name("Qwen2.5-0.5B-Instruct shape, random weights (Triad benchmark)")
    writer.add_context_length(CONTEXT)
    writer.add_embedding_length(HIDDEN)
    writer.add_block_count(LAYERS)
    writer.add_feed_forward_length(FFN)
    writer.add_head_count(HEADS)
    writer.add_head_count_kv(KV_HEADS)
    writer.add_rope_freq_base(1_000_000.0)
    writer.add_layer_norm_rms_eps(1e-6)
    writer.add_file_type(gguf.LlamaFileType.MOSTLY_F16)
    writer.add_tokenizer_model("gpt2")
    writer.add_tokenizer_pre("qwen2")
    writer.add_token_list(tokens)
    writer.add_token_types(types)
    writer.add_token_merges([f"{left} {right}" for left, right in merges])
    writer.add_bos_token_id(FIRST_SPECIAL_ID)
    writer.add_eos_token_id(FIRST_SPECIAL_ID + 2)
    writer.add_pad_token_id(FIRST_SPECIAL_ID)
    writer.add_add_bos_token(False)
    writer.add_chat_template(CHAT_TEMPLATE)

    rng = np.random.default_rng(args.seed)

    def weight(*shape: int) -> "np.ndarray":
        return (rng.standard_normal(shape, dtype=np.float32) * 0.02).astype(np.float16)

    embedding = weight(VOCAB, HIDDEN)
    embedding[learnt:] = 0
    writer.add_tensor("token_embd.weight", embedding)
    writer.add_tensor("output_norm.weight", np.ones(HIDDEN, dtype=np.float32))
    kv = KV_HEADS * HEAD_DIM
    for layer in range(LAYERS):
        block = f"blk.{layer}"
        writer.add_tensor(f"{block}.attn_norm.weight", np.ones(HIDDEN, dtype=np.float32))
        writer.add_tensor(f"{block}.attn_q.weight", weight(HIDDEN, HIDDEN))
        writer.add_tensor(f"{block}.attn_q.bias", np.zeros(HIDDEN, dtype=np.float32))
        writer.add_tensor(f"{block}.attn_k.weight", weight(kv, HIDDEN))
        writer.add_tensor(f"{block}.attn_k.bias", np.zeros(kv, dtype=np.float32))
        writer.add_tensor(f"{block}.attn_v.weight", weight(kv, HIDDEN))
        writer.add_tensor(f"{block}.attn_v.bias", np.zeros(kv, dtype=np.float32))
        writer.add_tensor(f"{block}.attn_output.weight", weight(HIDDEN, HIDDEN))
        writer.add_tensor(f"{block}.ffn_norm.weight", np.ones(HIDDEN, dtype=np.float32))
        writer.add_tensor(f"{block}.ffn_gate.weight", weight(FFN, HIDDEN))
        writer.add_tensor(f"{block}.ffn_up.weight", weight(FFN, HIDDEN))
        writer.add_tensor(f"{block}.ffn_down.weight", weight(HIDDEN, FFN))

    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    print(f"write-random-gguf: wrote {args.out} ({len(merges)} merges, {len(tokens)} tokens)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
