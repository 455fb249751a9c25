namespace SagaDemo.Testing.Processes;

/// <summary>
/// Where the built <c>SagaDemo.Host.dll</c> is: env <c>SAGADEMO_HOST_DLL</c>, else the Host project's output of
/// the same configuration as the running tests (test projects reference the Host, so it is built with them).
/// </summary>
public static class HostExecutable
{
    public const string Variable = "SAGADEMO_HOST_DLL";

    public static string Locate()
    {
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } configured)
            return File.Exists(configured) ? configured : throw new FileNotFoundException($"{Variable} points to a missing file", configured);

        // Tests run from <repo>/Tests/<project>/bin/<Configuration>/<tfm>/.
        var baseDir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var tfm = baseDir.Name;
        var configuration = baseDir.Parent!.Name;
        for (var dir = baseDir; dir is not null; dir = dir.Parent)
        {
            if (!File.Exists(Path.Combine(dir.FullName, "SagaDemo.sln")))
                continue;
            var dll = Path.Combine(dir.FullName, "Host", "SagaDemo.Host", "bin", configuration, tfm, "SagaDemo.Host.dll");
            return File.Exists(dll) ? dll : throw new FileNotFoundException("SagaDemo.Host is not built", dll);
        }
        throw new DirectoryNotFoundException($"No SagaDemo.sln above {baseDir.FullName}; set {Variable}.");
    }
}
