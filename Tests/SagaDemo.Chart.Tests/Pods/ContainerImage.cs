using System.Text.Json;
using SagaDemo.Chart.Tests.Support;

namespace SagaDemo.Chart.Tests.Pods;

/// <summary>
/// What the image gives a container, read from the Dockerfile's runtime stage (ENV, WORKDIR, ENTRYPOINT, USER) plus
/// the ENV Microsoft's aspnet base image sets itself; the content is a `dotnet publish` of the host, as the
/// Dockerfile's build stage makes it.
/// </summary>
public sealed record ContainerImage(IReadOnlyDictionary<string, string> Environment, string WorkingDirectory, IReadOnlyList<string> Entrypoint, int User)
{
    /// <summary>ENV of mcr.microsoft.com/dotnet/aspnet:10.0 (its Dockerfile), under the Dockerfile's own.</summary>
    static readonly IReadOnlyDictionary<string, string> BaseImageEnvironment = new Dictionary<string, string>
    {
        ["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        ["APP_UID"] = "1654",
        ["ASPNETCORE_HTTP_PORTS"] = "8080",
        ["DOTNET_RUNNING_IN_CONTAINER"] = "true",
    };

    public static ContainerImage FromDockerfile()
    {
        var stage = DockerfileFacts.RuntimeStage;
        var environment = new Dictionary<string, string>(BaseImageEnvironment);
        foreach (var env in stage.Where(i => i.Name == "ENV"))
            foreach (var pair in env.Arguments.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
            {
                var equals = pair.IndexOf('=');
                environment[pair[..equals]] = pair[(equals + 1)..];
            }
        var entrypoint = JsonSerializer.Deserialize<string[]>(stage.Last(i => i.Name == "ENTRYPOINT").Arguments)!;
        return new ContainerImage(environment, stage.Last(i => i.Name == "WORKDIR").Arguments, entrypoint, DockerfileFacts.RuntimeUser);
    }
}
