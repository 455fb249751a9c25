namespace SagaDemo.Telemetry.Metrics;

/// <summary>
/// Which meters the exporter listens to: exact names ("System.Runtime") or prefixes written
/// "SagaDemo.*" (matches "SagaDemo.Kafka" and "SagaDemo" itself).
/// </summary>
public sealed class MeterSelection(IEnumerable<string> patterns)
{
    private readonly string[] _patterns = patterns.ToArray();

    public IReadOnlyList<string> Patterns => _patterns;

    public bool Matches(string meterName) => _patterns.Any(p => Matches(p, meterName));

    private static bool Matches(string pattern, string meterName)
    {
        if (!pattern.EndsWith('*'))
            return string.Equals(pattern, meterName, StringComparison.Ordinal);

        var prefix = pattern.TrimEnd('*').TrimEnd('.');
        return meterName == prefix
            || meterName.StartsWith(prefix + ".", StringComparison.Ordinal)
            || (!pattern.EndsWith(".*") && meterName.StartsWith(prefix, StringComparison.Ordinal));
    }
}
