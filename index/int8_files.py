"""The int8 model folder's file names: written by the converter (int8_model), read by the runtime (onnx_backend)."""

ONNX_FILE = "model_qint8.onnx"
MARKER_FILE = "kzqa_int8.json"
