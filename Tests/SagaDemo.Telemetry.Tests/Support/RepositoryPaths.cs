namespace SagaDemo.Telemetry.Tests.Support;

/// <summary>Finds checked-in files (dashboards/) from the test's output directory.</summary>
public static class RepositoryPaths
{
    public static string Root
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "SagaDemo.sln")))
                    return dir.FullName;
            throw new InvalidOperationException($"SagaDemo.sln not found above {AppContext.BaseDirectory}");
        }
    }

    public static string Dashboards => Path.Combine(Root, "dashboards");
}
