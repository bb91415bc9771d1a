using Swin2SR.Core.Inference;

namespace Swin2SR.Core.Tests.Inference;

public sealed class DeviceLostExceptionTests
{
    // In ONNX Runtime's CudaCall format; the codes are cudaError_t's, the texts cudaGetErrorString's.
    [Theory]
    [InlineData("[ErrorCode:Fail] CUDA failure 700: an illegal memory access was encountered ; GPU=0 ; hostname=gpu01 ; file=cuda_execution_provider.cc ; line=1 ; expr=cudaStreamSynchronize(stream);", true)]
    [InlineData("[ErrorCode:RuntimeException] Non-zero status code returned while running Softmax node. Status Message: CUDA failure 719: unspecified launch failure ; GPU=1", true)]
    [InlineData("[ErrorCode:Fail] CUDA failure 214: uncorrectable ECC error encountered ; GPU=0", true)]
    [InlineData("[ErrorCode:Fail] CUDA failure 702: the launch timed out and was terminated ; GPU=0", true)]
    // Out of memory is answered with smaller batches; a bad shape or parameter fails the image, not the device.
    [InlineData("[ErrorCode:Fail] CUDA failure 2: out of memory ; GPU=0 ; hostname=gpu01", false)]
    [InlineData("[ErrorCode:Fail] CUDA failure 701: too many resources requested for launch ; GPU=0", false)]
    [InlineData("[ErrorCode:Fail] CUDNN failure 3000: CUDNN_STATUS_NOT_SUPPORTED ; GPU=0", false)]
    [InlineData("[ErrorCode:InvalidArgument] Got invalid dimensions for input: pixel_values for the following indices index: 1 Got: 4 Expected: 3", false)]
    public void Recognizes_a_sticky_cuda_error_by_its_message(string message, bool lost) =>
        Assert.Equal(lost, DeviceLostException.IsDeviceLost(new Exception(message)));
}
