"""The answer engine: citation checking and answer generation over retrieved passages."""
