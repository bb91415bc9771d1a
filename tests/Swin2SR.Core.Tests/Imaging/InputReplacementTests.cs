using Swin2SR.Core.Imaging;
using Swin2SR.Core.Tests.Support;

namespace Swin2SR.Core.Tests.Imaging;

/// <summary>Which output paths would replace their input's data when a new file is renamed onto them.</summary>
public sealed class InputReplacementTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <summary>in/a.png, beside an empty folder out.</summary>
    private string Input()
    {
        Directory.CreateDirectory(_folder.File("in"));
        Directory.CreateDirectory(_folder.File("out"));
        string input = _folder.File("in", "a.png");
        File.WriteAllBytes(input, [1, 2, 3]);
        return input;
    }

    [LinuxFact]
    public void The_input_reached_through_a_link_to_its_folder_would_be_replaced()
    {
        string input = Input();
        Directory.CreateSymbolicLink(_folder.File("link"), _folder.File("in"));
        Assert.True(SpecialFiles.WouldReplace(_folder.File("link", "a.png"), input));
        Assert.True(SpecialFiles.WouldReplace(input, _folder.File("link", "a.png")));
    }

    [LinuxFact]
    public void An_input_that_is_a_link_to_the_output_would_be_replaced_but_an_output_that_is_a_link_to_the_input_would_not()
    {
        string input = Input();
        File.CreateSymbolicLink(_folder.File("out", "linked.png"), input);
        Assert.True(SpecialFiles.WouldReplace(_folder.File("out", "linked.png"), input));
        Assert.False(SpecialFiles.WouldReplace(input, _folder.File("out", "linked.png")));
    }

    [LinuxFact]
    public void A_hard_link_is_another_entry_that_keeps_the_data()
    {
        string input = Input();
        using (var ln = System.Diagnostics.Process.Start("ln", [input, _folder.File("out", "a.png")]))
            ln.WaitForExit();
        Assert.False(SpecialFiles.WouldReplace(input, _folder.File("out", "a.png")));
    }

    [Fact]
    public void Another_file_or_a_missing_one_is_not_the_input()
    {
        string input = Input();
        File.WriteAllBytes(_folder.File("in", "b.png"), [1, 2, 3]);
        Assert.False(SpecialFiles.WouldReplace(input, _folder.File("in", "b.png")));
        Assert.False(SpecialFiles.WouldReplace(input, _folder.File("out", "a.png")));
    }
}
