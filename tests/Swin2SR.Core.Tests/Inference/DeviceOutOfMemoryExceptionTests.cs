using Swin2SR.Core.Inference;

namespace Swin2SR.Core.Tests.Inference;

public sealed class DeviceOutOfMemoryExceptionTests
{
    // Messages as ONNX Runtime gave them (the CPU ones under `ulimit -v`, with a -TileSize and -BatchSize too large).
    [Theory]
    [InlineData("[ErrorCode:RuntimeException] Non-zero status code returned while running Add node. Name:'/groups.0/layers.0/attn/Add' Status Message: /onnxruntime_src/onnxruntime/core/framework/bfc_arena.cc:360 void* onnxruntime::BFCArena::AllocateRawInternal(size_t, bool, onnxruntime::Stream*) Failed to allocate memory for requested buffer of size 132710400", true)]
    [InlineData("[ErrorCode:RuntimeException] Non-zero status code returned while running Expand node. Name:'/groups.0/layers.1/attn/Expand' Status Message: std::bad_alloc", true)]
    [InlineData("[ErrorCode:Fail] CUDA failure 2: out of memory ; GPU=0 ; hostname=gpu01", true)]
    [InlineData("[ErrorCode:Fail] CUBLAS failure 3: CUBLAS_STATUS_ALLOC_FAILED ; GPU=0", true)]
    // cuDNN 9's status for a failed device allocation (ONNX Runtime's CudaCall format: library, code, cudnnGetErrorString).
    [InlineData("[ErrorCode:Fail] CUDNN failure 4004: CUDNN_STATUS_INTERNAL_ERROR_DEVICE_ALLOCATION_FAILED ; GPU=0 ; hostname=gpu01 ; file=conv.cc ; line=123 ; expr=cudnnFindConvolutionForwardAlgorithmEx(...);", true)]
    [InlineData("[ErrorCode:Fail] CUDA failure 700: an illegal memory access was encountered ; GPU=0 ; hostname=gpu01", false)]
    [InlineData("[ErrorCode:InvalidArgument] Got invalid dimensions for input: pixel_values for the following indices index: 1 Got: 4 Expected: 3", false)]
    [InlineData("[ErrorCode:RuntimeException] Non-zero status code returned while running Conv node. Name:'/conv_first/Conv' Status Message: Invalid input shape", false)]
    public void Recognizes_an_allocation_failure_by_its_message(string message, bool outOfMemory) =>
        // An OnnxRuntimeException cannot be made outside its assembly; the message is what is read.
        Assert.Equal(outOfMemory, DeviceOutOfMemoryException.IsOutOfMemory(new Exception(message)));
}
