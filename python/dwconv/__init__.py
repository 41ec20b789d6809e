"""Calls layers compiled by dwconv from Python.

`dwconv-compile MODEL --emit=shared -o model.so` writes a shared library (the
compiled layers and the runtime); this module loads it with the standard
library's ctypes and calls its layers by their Keras names:

    import dwconv
    library = dwconv.load("model.so")
    print(library.names)              # the depthwise layers, in model order
    y = library("block_1_depthwise", x)   # x: a float32 numpy array

numpy is optional: without it, `Layer.run(data, shape)` takes and returns a
flat `array.array('f')` and its shape. Weights given at run time (a spec
compiled with --weights-as-arguments) are passed as `kernel=` (kh, kw, C, M)
and `bias=` (C * M).
"""

import array
import ctypes
import os

try:
    import numpy
except ImportError:  # numpy is optional
    numpy = None

__all__ = ["load", "Library", "Layer", "Error"]

ABI_VERSION = 5
DEVICE_CPU, DEVICE_CUDA = 0, 1
DTYPE_F32 = 0


class Error(RuntimeError):
    """A status other than DWCONV_OK, with the runtime's message."""


class Buffer(ctypes.Structure):
    """dwconv_buffer."""
    _fields_ = [("data", ctypes.c_void_p), ("dtype", ctypes.c_uint32),
                ("memory", ctypes.c_uint32), ("rank", ctypes.c_int32),
                ("reserved", ctypes.c_int32), ("dims", ctypes.c_int64 * 4)]


class Call(ctypes.Structure):
    """dwconv_call."""
    _fields_ = [("input", Buffer), ("depthwise_kernel", Buffer),
                ("bias", Buffer), ("output", Buffer),
                ("packed_weights", ctypes.c_void_p),
                ("workspace", ctypes.c_void_p),
                ("workspace_bytes", ctypes.c_size_t)]


class Allocator(ctypes.Structure):
    """dwconv_allocator."""
    _fields_ = [("self", ctypes.c_void_p), ("allocate", ctypes.c_void_p),
                ("deallocate", ctypes.c_void_p)]


class ContextOptions(ctypes.Structure):
    """dwconv_context_options."""
    _fields_ = [("device", ctypes.c_int), ("threads", ctypes.c_int32),
                ("parallel_for", ctypes.c_void_p), ("pool", ctypes.c_void_p),
                ("allocator", Allocator), ("cuda_device", ctypes.c_int32),
                ("cuda_stream", ctypes.c_void_p)]


def _i64(count):
    return ctypes.c_int64 * count


class Metadata(ctypes.Structure):
    """dwconv_layer_metadata, runtime ABI v5 (dwconv/abi.def, in order)."""
    _fields_ = [(name, ctypes.c_uint32) for name in (
        "abi_version", "dtype", "device", "data_format", "padding",
        "activation", "has_bias", "weights_baked")] + [
        ("input_shape", _i64(4)), ("kernel_shape", _i64(4)),
        ("output_shape", _i64(4)), ("strides", _i64(2)),
        ("dilation_rate", _i64(2)), ("tile_shape", _i64(4)),
        ("workspace_bytes", ctypes.c_int64),
        ("packed_weights_bytes", ctypes.c_int64),
        ("name", ctypes.c_char_p), ("tile", ctypes.c_void_p),
        ("pack", ctypes.c_void_p), ("gpu_block", _i64(3)),
        ("gpu_kernel", ctypes.c_char_p), ("gpu_images", ctypes.c_void_p),
        ("gpu_image_count", ctypes.c_int64),
        ("baked_weights", ctypes.c_void_p),
        ("baked_weights_bytes", ctypes.c_int64),
        ("folded_layers", ctypes.c_char_p), ("keras_name", ctypes.c_char_p),
        ("pads", _i64(4)), ("activation_text", ctypes.c_char_p)]


class ModelLayer(ctypes.Structure):
    """dwconv_model_layer: one entry of a layer table."""
    _fields_ = [("keras_name", ctypes.c_char_p), ("symbol", ctypes.c_char_p),
                ("metadata", ctypes.POINTER(Metadata)),
                ("call", ctypes.c_void_p)]


def _declare(lib):
    """Argument and result types of the runtime functions used here."""
    pointer = ctypes.c_void_p
    lib.dwconv_context_create.argtypes = [ctypes.POINTER(ContextOptions),
                                          ctypes.POINTER(pointer)]
    lib.dwconv_context_destroy.argtypes = [pointer]
    lib.dwconv_context_destroy.restype = None
    lib.dwconv_context_last_error.argtypes = [pointer]
    lib.dwconv_context_last_error.restype = ctypes.c_char_p
    lib.dwconv_status_string.argtypes = [ctypes.c_int]
    lib.dwconv_status_string.restype = ctypes.c_char_p
    lib.dwconv_layer_output_shape.argtypes = [
        ctypes.POINTER(Metadata), ctypes.POINTER(ctypes.c_int64),
        ctypes.POINTER(ctypes.c_int64)]
    lib.dwconv_layer_run.argtypes = [pointer, ctypes.POINTER(Metadata),
                                     ctypes.POINTER(Call)]


def _buffer(address, shape):
    buffer = Buffer()
    buffer.data = address
    buffer.dtype = DTYPE_F32
    buffer.memory = DEVICE_CPU
    buffer.rank = len(shape)
    for i, d in enumerate(shape):
        buffer.dims[i] = d
    return buffer


def _as_float32(data, what):
    """(keep-alive object, address, shape) of a numpy array's float32 data."""
    if numpy is None or not isinstance(data, numpy.ndarray):
        raise TypeError("%s: expected a numpy array (or use Layer.run)" % what)
    data = numpy.ascontiguousarray(data, dtype=numpy.float32)
    return data, data.ctypes.data, tuple(data.shape)


class Layer:
    """One compiled depthwise layer (or folded block) of a library."""

    def __init__(self, library, entry):
        self._library = library
        self._metadata = entry.metadata
        meta = entry.metadata.contents
        self.name = entry.keras_name.decode()
        self.symbol = entry.symbol.decode()
        self.input_shape = tuple(None if d < 0 else d
                                 for d in meta.input_shape)
        self.kernel_shape = tuple(meta.kernel_shape)
        self.weights_baked = bool(meta.weights_baked)
        self.has_bias = bool(meta.has_bias)
        self.device = meta.device
        self.activation = (meta.activation_text or b"").decode()
        self.folded_layers = (meta.folded_layers or b"").decode()

    def __repr__(self):
        return "<dwconv layer %r input %s>" % (self.name, self.input_shape)

    def output_shape(self, input_shape):
        """The output shape this layer gives for `input_shape`."""
        if len(input_shape) != 4:
            raise Error("layer '%s': the input must be rank 4, got %s"
                        % (self.name, tuple(input_shape)))
        dims = _i64(4)(*input_shape)
        out = _i64(4)()
        status = self._library._lib.dwconv_layer_output_shape(
            self._metadata, dims, out)
        if status:
            raise Error("layer '%s': no output for input shape %s (%s)"
                        % (self.name, tuple(input_shape),
                           self._library._status(status)))
        return tuple(out)

    def _run(self, input_address, input_shape, output_address, output_shape,
             weights):
        call = Call()
        call.input = _buffer(input_address, input_shape)
        call.output = _buffer(output_address, output_shape)
        for field, (address, shape) in weights.items():
            setattr(call, field, _buffer(address, shape))
        self._library._run(self, call)

    def __call__(self, x, kernel=None, bias=None):
        """The layer's output for numpy array `x` (float32, the layer's
        data_format), as a new numpy array."""
        keep = []
        x, address, shape = _as_float32(x, "input")
        weights = {}
        for field, value in (("depthwise_kernel", kernel), ("bias", bias)):
            if value is not None:
                data, weight_address, weight_shape = _as_float32(value, field)
                keep.append(data)
                weights[field] = (weight_address, weight_shape)
        output = numpy.empty(self.output_shape(shape), dtype=numpy.float32)
        self._run(address, shape, output.ctypes.data, output.shape, weights)
        return output

    def run(self, data, shape):
        """Without numpy: `data` is a flat float32 array.array (or a list) of
        the input, `shape` its shape; returns (array.array('f'), shape)."""
        data = array.array("f", data)
        out_shape = self.output_shape(shape)
        count = 1
        for d in out_shape:
            count *= d
        output = array.array("f", bytes(4 * count))
        address = data.buffer_info()[0]
        self._run(address, tuple(shape), output.buffer_info()[0], out_shape,
                  {})
        return output, out_shape


class Library:
    """A shared library written by `dwconv-compile --emit=shared`."""

    def __init__(self, path, threads=1):
        self._lib = ctypes.CDLL(path)
        _declare(self._lib)
        self._threads = threads
        self._contexts = {}
        table = ctypes.cast(
            ctypes.addressof(ModelLayer.in_dll(self._lib,
                                               "dwconv_library_layers")),
            ctypes.POINTER(ModelLayer))
        self.layers = {}
        i = 0
        while table[i].metadata:
            version = table[i].metadata.contents.abi_version
            if version != ABI_VERSION:
                raise Error("%s was compiled for runtime ABI %d; this module "
                            "implements %d" % (path, version, ABI_VERSION))
            layer = Layer(self, table[i])
            self.layers[layer.name] = layer
            i += 1

    @property
    def names(self):
        """The layers' Keras names, in model order."""
        return list(self.layers)

    def __getitem__(self, name):
        try:
            return self.layers[name]
        except KeyError:
            raise KeyError("no layer '%s'; the library has: %s"
                           % (name, ", ".join(self.layers))) from None

    def __call__(self, name, x, kernel=None, bias=None):
        return self[name](x, kernel=kernel, bias=bias)

    def _status(self, status):
        return self._lib.dwconv_status_string(status).decode()

    def _context(self, device):
        if device not in self._contexts:
            options = ContextOptions()
            options.device = device
            options.threads = self._threads
            context = ctypes.c_void_p()
            status = self._lib.dwconv_context_create(ctypes.byref(options),
                                                     ctypes.byref(context))
            if status:
                raise Error("cannot create a %s context: %s"
                            % ("cuda" if device else "cpu",
                               self._status(status)))
            self._contexts[device] = context
        return self._contexts[device]

    def _run(self, layer, call):
        context = self._context(layer.device)
        status = self._lib.dwconv_layer_run(context, layer._metadata,
                                            ctypes.byref(call))
        if status:
            message = self._lib.dwconv_context_last_error(context)
            raise Error("%s: %s" % (self._status(status),
                                    (message or b"").decode()))

    def close(self):
        """Destroys the runtime contexts (also done when collected)."""
        for context in self._contexts.values():
            self._lib.dwconv_context_destroy(context)
        self._contexts = {}

    def __del__(self):
        if getattr(self, "_contexts", None):
            self.close()


def load(path, threads=None):
    """Loads a library written by `dwconv-compile --emit=shared`; `threads`
    is how many workers a call is split over (default: one per core)."""
    return Library(path, threads=threads or os.cpu_count() or 1)
