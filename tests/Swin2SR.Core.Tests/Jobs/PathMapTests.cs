using Swin2SR.Core.Jobs;

namespace Swin2SR.Core.Tests.Jobs;

public class PathMapTests
{
    [Theory]
    [InlineData(@"\\nas\share\photos\a.png", "/mnt/share/photos/a.png")]
    [InlineData(@"\\NAS\Share\photos\a.png", "/mnt/share/photos/a.png")]
    [InlineData(@"//nas/share/photos/a.png", "/mnt/share/photos/a.png")]
    [InlineData(@"\\nas\share", "/mnt/share")]
    [InlineData(@"\\nas\share\raw\2024\b.jpg", "/srv/raw/2024/b.jpg")]
    [InlineData(@"\\nas\shared\c.png", @"\\nas\shared\c.png")]
    [InlineData(@"/home/me/d.png", "/home/me/d.png")]
    [InlineData(@"E:\enhanced\sub\e.png", "/mnt/out/sub/e.png")]
    public void Windows_paths_map_onto_a_linux_host_by_their_longest_prefix(string recorded, string expected)
    {
        var map = PathMap.Parse([@"\\nas\share=/mnt/share", @"\\nas\share\raw\=/srv/raw", @"E:\enhanced=/mnt/out"]);
        Assert.Equal(expected, map.Map(recorded));
    }

    [Theory]
    [InlineData("/mnt/share/photos/a.png", @"\\nas\share\photos\a.png")]
    [InlineData("/mnt/share/", @"\\nas\share")]
    [InlineData("/MNT/share/a.png", "/MNT/share/a.png")]
    public void Linux_paths_map_onto_a_windows_host_case_sensitively(string recorded, string expected)
    {
        var map = PathMap.Parse([@"/mnt/share=\\nas\share"]);
        Assert.Equal(expected, map.Map(recorded));
    }

    [Fact]
    public void A_prefix_written_with_forward_slashes_matches_a_recorded_unc_path()
    {
        // What a systemd unit writes to avoid backslash escapes.
        var map = PathMap.Parse(["//nas/share=/mnt/share"]);
        Assert.Equal("/mnt/share/photos/a.png", map.Map(@"\\nas\share\photos\a.png"));
    }

    [Fact]
    public void A_root_maps_everything_below_it()
    {
        var map = PathMap.Parse(["/=/srv/mirror/"]);
        Assert.Equal("/srv/mirror/data/a.png", map.Map("/data/a.png"));
    }

    [Theory]
    [InlineData("no-equals-sign")]
    [InlineData("=/mnt/share")]
    [InlineData(@"\\nas\share=")]
    public void A_malformed_pair_is_refused_naming_it(string pair)
    {
        var error = Assert.Throws<ArgumentException>(() => PathMap.Parse([pair]));
        Assert.Contains(pair, error.Message);
    }

    [Fact]
    public void The_parameter_wins_over_the_hosts_setting_which_is_used_without_it()
    {
        string? before = Environment.GetEnvironmentVariable(PathMap.EnvironmentVariable);
        try
        {
            Environment.SetEnvironmentVariable(PathMap.EnvironmentVariable, @" \\nas\a=/mnt/a ; \\nas\b=/mnt/b ");
            var fromHost = PathMap.Resolve(null);
            Assert.Equal("/mnt/b/x.png", fromHost.Map(@"\\nas\b\x.png"));
            Assert.Equal("/mnt/a/x.png", fromHost.Map(@"\\nas\a\x.png"));
            var given = PathMap.Resolve([@"\\nas\a=/elsewhere"]);
            Assert.Equal("/elsewhere/x.png", given.Map(@"\\nas\a\x.png"));
            Assert.Equal(@"\\nas\b\x.png", given.Map(@"\\nas\b\x.png"));
            Environment.SetEnvironmentVariable(PathMap.EnvironmentVariable, null);
            Assert.True(PathMap.Resolve(null).IsEmpty);
        }
        finally
        {
            Environment.SetEnvironmentVariable(PathMap.EnvironmentVariable, before);
        }
    }
}
