// tradeonly-bench: prints one JSON object per line: {"name": …, "unit": …, "value": …}.
