using Swin2SR.Core.Inference.Devices;

namespace Swin2SR.Core.Tests.Inference.Devices;

public sealed class ExecutionProvidersTests
{
    [Fact]
    public void The_cpu_provider_is_always_offered()
    {
        Assert.Contains(ExecutionProviders.Cpu, ExecutionProviders.Available());
    }

    [Fact]
    public void The_gpu_package_offers_the_cuda_provider()
    {
        // Offered means built in, not loadable: that is CudaProvider.Check's question.
        Assert.Contains(ExecutionProviders.Cuda, ExecutionProviders.Available());
    }

    [Fact]
    public void The_version_is_that_of_the_pinned_package()
    {
        string pinned = System.Xml.Linq.XDocument.Load(Path.Combine(Support.RepoPaths.Root, "Directory.Packages.props"))
            .Descendants("PackageVersion").Single(p => (string?)p.Attribute("Include") == "Microsoft.ML.OnnxRuntime.Gpu")
            .Attribute("Version")!.Value;

        Assert.Equal(pinned, ExecutionProviders.OnnxRuntimeVersion);
    }
}
