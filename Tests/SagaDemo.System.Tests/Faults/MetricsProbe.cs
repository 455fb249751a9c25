using System.Globalization;
using SagaDemo.Testing.Processes;

namespace SagaDemo.System.Tests.Faults;

/// <summary>Reads a counter from a service's /metrics (Prometheus text), summed over its label sets.</summary>
public static class MetricsProbe
{
    public static async Task<double> SumAsync(ServiceProcess service, string metric)
    {
        using var client = service.CreateClient();
        var text = await client.GetStringAsync("/metrics");
        var sum = 0.0;
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith('#') || !(line.StartsWith(metric + " ", StringComparison.Ordinal) || line.StartsWith(metric + "{", StringComparison.Ordinal)))
                continue;
            sum += double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
        }
        return sum;
    }
}
