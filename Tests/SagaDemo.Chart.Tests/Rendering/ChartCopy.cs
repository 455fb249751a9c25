using SagaDemo.Chart.Tests.Support;

namespace SagaDemo.Chart.Tests.Rendering;

/// <summary>
/// The chart as Helm can render it here: a copy without its Bitnami dependencies (their OCI registry is out of
/// reach, so kafka.enabled and postgresql.enabled render only the chart's own objects), the dashboards symlink
/// followed. Made once per test run.
/// </summary>
public static class ChartCopy
{
    static readonly Lazy<string> Directory_ = new(Create);

    public static string Directory => Directory_.Value;

    /// <summary>Beside the copy, deleted with it: values files the renders write.</summary>
    public static string Scratch => Path.GetDirectoryName(Directory)!;

    static string Create()
    {
        var target = Path.Combine(System.IO.Directory.CreateTempSubdirectory("deploy-chart-").FullName, "saga-demo");
        CopyFollowingLinks(RepoPaths.Chart, target);
        File.Delete(Path.Combine(target, "Chart.lock"));
        var chartYaml = Path.Combine(target, "Chart.yaml");
        var text = File.ReadAllText(chartYaml);
        var dependencies = text.IndexOf("\ndependencies:", StringComparison.Ordinal);
        if (dependencies < 0)
            throw new InvalidDataException("Chart.yaml has no dependencies section to leave out");
        File.WriteAllText(chartYaml, text[..(dependencies + 1)]);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => System.IO.Directory.Delete(Path.GetDirectoryName(target)!, recursive: true);
        return target;
    }

    static void CopyFollowingLinks(string source, string target)
    {
        System.IO.Directory.CreateDirectory(target);
        foreach (var file in System.IO.Directory.EnumerateFiles(source))
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        foreach (var dir in System.IO.Directory.EnumerateDirectories(source))
            CopyFollowingLinks(dir, Path.Combine(target, Path.GetFileName(dir)));
    }
}
