"""Seed cards written for the robustness tests (none copied from ../shared).

They cover the shapes the parser reads: Trainer and Keras generator output, a hand-edited
card, a prose rewrite, and a card whose front matter has most typed fields and a
model-index.  The property tests mutate them; ``fuzz/seeds`` holds the same texts.
"""

from __future__ import annotations

TRAINER = """\
---
license: apache-2.0
base_model: roberta-base
tags:
- generated_from_trainer
datasets:
- glue
metrics:
- accuracy
model-index:
- name: roberta-base-sst2-demo
  results:
  - task:
      name: Text Classification
      type: text-classification
    dataset:
      name: glue
      type: glue
      config: sst2
      split: validation
      args: sst2
    metrics:
    - name: Accuracy
      type: accuracy
      value: 0.9415
---

<!-- This model card has been generated automatically according to the information the Trainer had access to. You
should probably proofread and complete it, then remove this comment. -->

# roberta-base-sst2-demo

This model is a fine-tuned version of [roberta-base](https://huggingface.co/roberta-base) on the glue dataset.
It achieves the following results on the evaluation set:
- Loss: 0.1902
- Accuracy: 0.9415

## Model description

More information needed

## Training procedure

### Training hyperparameters

The following hyperparameters were used during training:
- learning_rate: 3e-05
- train_batch_size: 32
- eval_batch_size: 64
- seed: 7
- optimizer: Adam with betas=(0.9,0.999) and epsilon=1e-08
- lr_scheduler_type: cosine
- lr_scheduler_warmup_steps: 500
- num_epochs: 2
- mixed_precision_training: Native AMP
- dataloader_workers: 4

### Training results

| Training Loss | Epoch | Step | Validation Loss | Accuracy |
|:-------------:|:-----:|:----:|:---------------:|:--------:|
| 0.2811        | 1.0   | 2105 | 0.2034          | 0.9323   |
| 0.1507        | 2.0   | 4210 | 0.1902          | 0.9415   |


### Framework versions

- Transformers 4.30.2
- Pytorch 2.0.1+cu117
- Datasets 2.13.1
- Tokenizers 0.13.3
"""

KERAS = """\
---
license: mit
tags:
- generated_from_keras_callback
model-index:
- name: tiny-keras-ner
  results: []
---

<!-- This model card has been generated automatically according to the information Keras had access to. You should
probably proofread and complete it, then remove this comment. -->

# tiny-keras-ner

This model is a fine-tuned version of [bert-base-cased](https://huggingface.co/bert-base-cased) on an unknown dataset.
It achieves the following results on the evaluation set:
- Train Loss: 0.0412
- Validation Loss: 0.0633
- Epoch: 2

## Training procedure

### Training hyperparameters

The following hyperparameters were used during training:
- optimizer: {'name': 'AdamWeightDecay', 'learning_rate': {'class_name': 'PolynomialDecay', 'config': {'initial_learning_rate': 2e-05, 'decay_steps': 2634, 'end_learning_rate': 0.0, 'power': 1.0, 'cycle': False, 'name': None}}, 'decay': 0.0, 'beta_1': 0.9, 'beta_2': 0.999, 'epsilon': 1e-08, 'amsgrad': False, 'weight_decay_rate': 0.01}
- training_precision: mixed_float16

### Training results

| Train Loss | Validation Loss | Epoch |
|:----------:|:---------------:|:-----:|
| 0.1804     | 0.0781          | 0     |
| 0.0598     | 0.0660          | 1     |
| 0.0412     | 0.0633          | 2     |


### Framework versions

- Transformers 4.21.0
- TensorFlow 2.9.1
- Tokenizers 0.12.1
"""

HAND_EDITED = """\
Hugging Face's logo
----
language: [en, de]
license: cc-by-4.0
tags: bert
thumbnail: https://example.org/t.png
co2_eq_emissions:
  emissions: 12.5
  source: codecarbon
widget:
- text: "Paris is the [MASK] of France."
----
---
datasets: wikiann
---

# A hand-edited card

Fine-tuned from the bert-base-multilingual-cased model on wikiann.

## Training hyperparameters

| Hyperparameter | Value |
|---|---|
| learning rate | 5e-5 |
| batch size | 16 |
| epochs | three |
| warmup | linear, 10% |

## Results

On wikiann:

Epoch   Training Loss   Validation Loss   F1
---|---|---|---
| 1 | 0.30 | 0.25 | 0.81 |
| 2 | 0.21 | 0.22 | 0.84 | extra |
| 3 | No log | 0.23 |

## Evaluation results

• precision: 0.85
• recall: 0.83
  • f1: 0.84 (macro)
"""

PROSE = """\
# Sentiment model

This model was fine-tuned from the distilroberta-base model on movie reviews.

Training Procedure

The model was trained for 4 epochs.

- Learning rate: 0.0001
- Batch size: 8
- Optimizer: AdamW
- Seed: 1234

Training Results

| Step | Training Loss | Validation Loss |
|------|---------------|-----------------|
| 500  | 0.512         | 0.466           |
| 1000 | 0.390         | 0.401           |

Here are its evaluation results:
- Accuracy: 91.2%
- F1: 0.905

Troubleshooting

- transformers: 4.40.0
- torch 2.3.0
"""

METADATA = """\
---
license: [apache-2.0]
language: 42
tags:
- a
- {nested: map}
library_name: transformers
pipeline_tag: token-classification
base_model:
- org/base-one
- org/base-two
date: 2021-05-01
anchors: &x {k: v}
merged:
  <<: *x
  own: 1
model_index:
- name: legacy
  results:
  - task: {type: ner}
    dataset: {name: conll2003, type: conll2003}
    metric:
      type: f1
      value: "0.91"
- name: broken
  results:
  - task: text
    metrics:
    - {type: accuracy, value: n/a}
    - {name: loss, value: true}
---
# legacy
"""

SEEDS: dict[str, str] = {
    "trainer": TRAINER,
    "keras": KERAS,
    "hand_edited": HAND_EDITED,
    "prose": PROSE,
    "metadata": METADATA,
}
