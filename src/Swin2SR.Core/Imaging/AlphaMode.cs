namespace Swin2SR.Core.Imaging;

/// <summary>How the alpha channel of a transparent image is upscaled.</summary>
public enum AlphaMode
{
    /// <summary>Resized on its own with bicubic interpolation: smooth edges, no cost on the device.</summary>
    Bicubic,

    /// <summary>Run through the model as a gray image: sharper edges, one more pass per image.</summary>
    Model,
}
