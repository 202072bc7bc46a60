"""Text helpers every stage shares, each concept in one home.

In: plain ``str``. Out: plain values. ``chars`` holds the character classes and patterns (CJK, XML-illegal,
file-name-unsafe, years), ``numerals`` the Chinese numerals, ``quantities`` the units and number
wording, ``tokens`` the private jieba tokenizer with the domain dictionary. Part of the ground: imports
no stage.
"""
