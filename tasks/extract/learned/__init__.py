"""Extraction that learns from labelled articles.

A sentence that may state a deal is cut into tokens, each described by generic features (the token,
its neighbours, its shape, whether it lies in a candidate span: an amount, a place, a phrase headed by
a project word or an organisation word, a run of capitalised words, and how far the nearest signing
word is). A linear-chain CRF trained on the labelled sets tags the roles PARTY, PROJECT and AMOUNT;
small generic code assembles a sentence's roles into deals; a logistic model, also trained on the
labelled sets, scores every deal candidate (from the tagger or from the rules) and its calibrated
probability becomes the row's ``confidence``. Totals and events come from the rules and get a
calibrated confidence the same way.

Modules: ``features`` (tokens and features), ``roles`` (the tagger), ``assemble`` (roles -> deal
candidates), ``decide`` (scoring, calibration, the final records), ``labels`` (gold labels -> tags,
for training) and ``training`` (training and grouped cross-validation). The trained files live in
``models/`` and their hash is part of ``extractor_version``.
"""
