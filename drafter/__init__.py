"""Drafter: drafts Chinese bureau work reports from past reports and this year's figures."""

__version__ = "0.1.0"
