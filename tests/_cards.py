"""Small cards written for the batch, frames and Dask tests (no ../shared needed)."""

from __future__ import annotations

TRAINER = """\
---
license: apache-2.0
base_model: distilbert-base-uncased
tags:
- generated_from_trainer
datasets:
- imdb
metrics:
- accuracy
model-index:
- name: tiny-imdb
  results:
  - task:
      type: text-classification
      name: Text Classification
    dataset:
      name: imdb
      type: imdb
      split: test
    metrics:
    - type: accuracy
      value: 0.931
      name: Accuracy
---

<!-- This model card has been generated automatically according to the information the Trainer had access to. You
should probably proofread and complete it, then remove this comment. -->

# tiny-imdb

This model is a fine-tuned version of [distilbert-base-uncased](https://huggingface.co/distilbert-base-uncased) on the imdb dataset.
It achieves the following results on the evaluation set:
- Loss: 0.2471
- Accuracy: 0.931

## Training procedure

### Training hyperparameters

The following hyperparameters were used during training:
- learning_rate: 2e-05
- train_batch_size: 16
- eval_batch_size: 32
- seed: 42
- optimizer: Adam with betas=(0.9,0.999) and epsilon=1e-08
- lr_scheduler_type: linear
- lr_scheduler_warmup_ratio: 0.1
- num_epochs: 2

### Training results

| Training Loss | Epoch | Step | Validation Loss | Accuracy |
|:-------------:|:-----:|:----:|:---------------:|:--------:|
| 0.3012        | 1.0   | 500  | 0.2650          | 0.921    |
| 0.1804        | 2.0   | 1000 | 0.2471          | 0.931    |

### Framework versions

- Transformers 4.38.2
- Pytorch 2.2.1+cu121
- Datasets 2.18.0
- Tokenizers 0.15.2
"""

KERAS = """\
---
license: mit
tags:
- generated_from_keras_callback
model-index:
- name: tiny-keras
  results: []
---

<!-- This model card has been generated automatically according to the information Keras had access to. You should
probably proofread and complete it, then remove this comment. -->

# tiny-keras

This model is a fine-tuned version of [bert-base-cased](https://huggingface.co/bert-base-cased) on an unknown dataset.
It achieves the following results on the evaluation set:
- Train Loss: 0.1021
- Validation Loss: 0.2210
- Epoch: 1

## Training procedure

### Training hyperparameters

The following hyperparameters were used during training:
- optimizer: {'name': 'Adam', 'learning_rate': 3e-05, 'decay': 0.0, 'beta_1': 0.9, 'beta_2': 0.999, 'epsilon': 1e-07, 'amsgrad': False}
- training_precision: float32

### Training results

| Train Loss | Validation Loss | Epoch |
|:----------:|:---------------:|:-----:|
| 0.4100     | 0.3000          | 0     |
| 0.1021     | 0.2210          | 1     |

### Framework versions

- Transformers 4.20.1
- TensorFlow 2.8.2
- Tokenizers 0.12.1
"""

PLAIN = """\
# A hand-written card

No front matter here; just some prose about the model.
"""

BROKEN_YAML = """\
---
license: [mit
tags: x
---
# Broken front matter

Still a card.
"""

CARDS: dict[str, str] = {
    "org/trainer": TRAINER,
    "org/keras": KERAS,
    "org/plain": PLAIN,
    "org/broken": BROKEN_YAML,
}
"""id -> text."""
