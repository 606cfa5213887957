"""The configurations `kzqa eval` compares: named on the command line, with the valid names in the error."""

import pytest

from chat_app.evaluation.configs import ConfigName


def test_config_names_list_the_valid_ones():
    assert ConfigName.from_str("baseline") is ConfigName.BASELINE
    with pytest.raises(ValueError, match="valid configurations: hybrid, vector, bm25, baseline"):
        ConfigName.from_str("dense")
