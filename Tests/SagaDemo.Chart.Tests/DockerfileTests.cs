using SagaDemo.Chart.Tests.Support;

namespace SagaDemo.Chart.Tests;

/// <summary>The one image: .NET SDK build stage, ASP.NET runtime stage with the published librdkafka, non-root on 8080.</summary>
public class DockerfileTests
{
    [Fact]
    public void Builds_with_the_sdk_and_runs_on_the_aspnet_runtime()
    {
        var froms = DockerfileFacts.All.Where(i => i.Name == "FROM").Select(i => i.Arguments).ToList();
        Assert.Equal(2, froms.Count);
        Assert.StartsWith("mcr.microsoft.com/dotnet/sdk:10.0", froms[0]);
        Assert.StartsWith("mcr.microsoft.com/dotnet/aspnet:10.0", froms[1]);
        Assert.Contains(DockerfileFacts.RuntimeStage, i => i.Name == "COPY" && i.Arguments.StartsWith("--from=build", StringComparison.Ordinal));
    }

    [Fact]
    public void Publishes_the_host_project()
    {
        var publish = Assert.Single(DockerfileFacts.All, i => i.Name == "RUN" && i.Arguments.Contains("dotnet publish"));
        Assert.Contains("Host/SagaDemo.Host/SagaDemo.Host.csproj", publish.Arguments);
        Assert.True(File.Exists(RepoPaths.In("Host", "SagaDemo.Host", "SagaDemo.Host.csproj")));
        var entry = Assert.Single(DockerfileFacts.RuntimeStage, i => i.Name == "ENTRYPOINT");
        Assert.Equal("[\"dotnet\", \"SagaDemo.Host.dll\"]", entry.Arguments);
    }

    [Fact]
    public void Librdkafka_comes_from_the_publish_output_and_no_distribution_package()
    {
        // The host pins librdkafka.redist's own file (runtimes/linux-<arch>/native); a distribution librdkafka would
        // only be ignored, or be an older one on a machine without the published files.
        Assert.DoesNotContain(DockerfileFacts.All, i => i.Name == "RUN" && i.Arguments.Contains("librdkafka", StringComparison.Ordinal)
            && i.Arguments.Contains("apt-get", StringComparison.Ordinal));
        var trims = DockerfileFacts.All.Where(i => i.Name == "RUN" && i.Arguments.Contains("rm ", StringComparison.Ordinal)).ToList();
        Assert.DoesNotContain(trims, i => i.Arguments.Contains("runtimes/linux", StringComparison.Ordinal) || i.Arguments.Contains("runtimes/*", StringComparison.Ordinal));
    }

    [Fact]
    public void Runs_as_a_numeric_non_root_user_after_everything_that_needs_root()
    {
        var stage = DockerfileFacts.RuntimeStage.ToList();
        var user = stage.FindLastIndex(i => i.Name == "USER");
        Assert.True(user >= 0, "no USER in the runtime stage");
        Assert.True(DockerfileFacts.RuntimeUser > 0);
        Assert.DoesNotContain(stage.Skip(user), i => i.Name == "RUN");
    }

    [Fact]
    public void Listens_on_8080()
    {
        Assert.Contains(DockerfileFacts.RuntimeStage, i => i.Name == "EXPOSE" && i.Arguments == "8080");
        Assert.Contains(DockerfileFacts.RuntimeStage, i => i.Name == "ENV" && i.Arguments.Contains("ASPNETCORE_HTTP_PORTS=8080"));
    }

    [Fact]
    public void Limits_glibc_to_two_malloc_arenas() =>
        Assert.Contains(DockerfileFacts.RuntimeStage, i => i.Name == "ENV" && i.Arguments.Contains("MALLOC_ARENA_MAX=2"));

    [Fact]
    public void The_build_context_leaves_out_host_build_outputs()
    {
        var ignored = File.ReadAllLines(RepoPaths.In(".dockerignore")).Select(l => l.Trim()).ToList();
        Assert.Contains("**/bin/", ignored);
        Assert.Contains("**/obj/", ignored);
        // Everything the publish needs must stay in the context.
        foreach (var needed in new[] { "Host/", "Contracts/", "Sagas/", "Services/", "Directory.Build.props", "Directory.Packages.props" })
            Assert.DoesNotContain(needed, ignored);
    }
}
