using Swin2SR.Core.Inference.Devices;

namespace Swin2SR.Core.Tests.Inference.Devices;

public sealed class NativeEnvironmentTests
{
    [Fact]
    public void Reads_what_the_process_started_with()
    {
        Assert.Equal(Environment.GetEnvironmentVariable("PATH"), NativeEnvironment.Get("PATH"));
        Assert.Null(NativeEnvironment.Get("SWIN2SR_TEST_" + Guid.NewGuid().ToString("N")));
    }

    [Fact]
    public void Sees_what_native_code_sees_not_what_was_set_in_dotnet_only()
    {
        string name = "SWIN2SR_TEST_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(name, "1");
        try
        {
            // On Linux and macOS .NET keeps the change to itself, so CUDA would not see it either; Windows shares it.
            Assert.Equal(OperatingSystem.IsWindows() ? "1" : null, NativeEnvironment.Get(name));
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }

    [Fact]
    public void Sets_a_variable_for_native_code_unless_it_is_set_there_already()
    {
        string unset = "SWIN2SR_TEST_" + Guid.NewGuid().ToString("N"), given = "SWIN2SR_TEST_" + Guid.NewGuid().ToString("N");
        NativeEnvironment.Set(given, "the user's");

        NativeEnvironment.SetIfUnset(unset, "default");
        NativeEnvironment.SetIfUnset(given, "default");

        Assert.Equal("default", NativeEnvironment.Get(unset));
        Assert.Equal("the user's", NativeEnvironment.Get(given));
    }

    [Fact]
    public void CUDA_numbers_GPUs_as_the_driver_does_once_ONNX_Runtime_starts()
    {
        _ = OnnxEnvironment.Instance;
        // The test process was not given an order, so the driver's (NVML's, nvidia-smi's) is what CUDA will read.
        Assert.Equal(CudaDeviceOrder.DriverOrder, NativeEnvironment.Get(CudaDeviceOrder.VariableName));
    }
}
