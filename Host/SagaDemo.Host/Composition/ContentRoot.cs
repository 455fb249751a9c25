namespace SagaDemo.Host.Composition;

/// <summary>
/// Where the host reads <c>appsettings.json</c> from. ASP.NET Core takes the working directory; started from anywhere
/// else (<c>dotnet Host/SagaDemo.Host/bin/Release/net10.0/SagaDemo.Host.dll</c> from the repository root) the host ran
/// without its shipped settings: the approval endpoint had 64 lanes instead of 1,024 (at 200 ms per approval a ceiling
/// of ~320 sagas/s) and every HTTP request was logged at Information (~190 MB of log a minute under a burst), which is
/// what an overload measurement taken that way saw as a collapse. So when neither the working directory has the file
/// nor a content root was given, the executable's own directory is taken.
/// </summary>
public static class ContentRoot
{
    const string Settings = "appsettings.json";

    public static WebApplicationOptions Options(string[] args) => new()
    {
        Args = args,
        ContentRootPath = Choose(args, Directory.GetCurrentDirectory(), AppContext.BaseDirectory,
            Environment.GetEnvironmentVariable("ASPNETCORE_CONTENTROOT") ?? Environment.GetEnvironmentVariable("DOTNET_CONTENTROOT")),
    };

    /// <returns>The directory to use, or null for ASP.NET Core's own choice.</returns>
    public static string? Choose(string[] args, string workingDirectory, string executableDirectory, string? fromEnvironment)
    {
        var given = fromEnvironment is not null || args.Any(a => a.StartsWith("--contentRoot", StringComparison.OrdinalIgnoreCase));
        if (given || File.Exists(Path.Combine(workingDirectory, Settings)) || !File.Exists(Path.Combine(executableDirectory, Settings)))
            return null;
        return executableDirectory;
    }
}
