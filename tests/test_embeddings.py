import numpy as np
import pytest

from positions.embeddings import HashingEmbedder, resolve_model_path
from positions.errors import ConfigError


def test_hashing_embedder_is_deterministic_and_normalised():
    a, b = HashingEmbedder(), HashingEmbedder()
    va, vb = a.embed(["Hamas rejected it", "x"]), b.embed(["Hamas rejected it", "x"])
    assert va.dtype == np.float32 and va.shape == (2, 64)
    assert np.array_equal(va, vb)
    assert np.allclose(np.linalg.norm(va, axis=1), 1)
    assert a.texts_embedded == 2
    assert a.embed([]).shape == (0, 64)


def test_unknown_model_is_a_config_error():
    with pytest.raises(ConfigError, match="cannot be downloaded"):
        resolve_model_path("some/other-model")


def test_real_model_embeds_offline(real_embedder):
    vectors = real_embedder.embed(["Israel accepted the proposal.", "Israel agreed to the offer.",
                                   "Wheat prices rose in Chicago."])
    assert vectors.shape == (3, 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-5)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.2
