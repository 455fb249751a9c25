namespace SagaDemo.Chart.Tests.Support;

/// <summary>Paths in the repository, found by walking up from the test binaries to SagaDemo.sln.</summary>
public static class RepoPaths
{
    public static readonly string Root = FindRoot();

    public static string Chart => Path.Combine(Root, "charts", "saga-demo");
    public static string ChartTemplates => Path.Combine(Chart, "templates");
    public static string Dashboards => Path.Combine(Root, "dashboards");
    public static string Deploy => Path.Combine(Root, "deploy");

    public static string In(params string[] parts) => Path.Combine([Root, .. parts]);

    static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "SagaDemo.sln")))
                return dir.FullName;
        throw new InvalidOperationException($"SagaDemo.sln not found above {AppContext.BaseDirectory}");
    }
}
