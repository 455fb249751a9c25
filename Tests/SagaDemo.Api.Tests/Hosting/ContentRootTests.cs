using SagaDemo.Host.Composition;

namespace SagaDemo.Api.Tests.Hosting;

/// <summary>The host reads its shipped appsettings.json wherever it is started from, unless told otherwise.</summary>
public sealed class ContentRootTests : IDisposable
{
    readonly string _cwd = Directory.CreateTempSubdirectory("sagademo-cwd-").FullName;
    readonly string _exe = Directory.CreateTempSubdirectory("sagademo-exe-").FullName;

    public ContentRootTests() => File.WriteAllText(Path.Combine(_exe, "appsettings.json"), "{}");

    [Fact]
    public void Started_elsewhere_the_executables_directory_is_taken()
    {
        Assert.Equal(_exe, ContentRoot.Choose([], _cwd, _exe, null));
    }

    [Fact]
    public void A_working_directory_with_settings_or_a_given_content_root_wins()
    {
        Assert.Null(ContentRoot.Choose(["--contentRoot=/srv"], _cwd, _exe, null));
        Assert.Null(ContentRoot.Choose([], _cwd, _exe, "/srv"));
        File.WriteAllText(Path.Combine(_cwd, "appsettings.json"), "{}");
        Assert.Null(ContentRoot.Choose([], _cwd, _exe, null));
    }

    [Fact]
    public void Without_shipped_settings_nothing_changes()
    {
        File.Delete(Path.Combine(_exe, "appsettings.json"));
        Assert.Null(ContentRoot.Choose([], _cwd, _exe, null));
    }

    public void Dispose()
    {
        Directory.Delete(_cwd, recursive: true);
        Directory.Delete(_exe, recursive: true);
    }
}
