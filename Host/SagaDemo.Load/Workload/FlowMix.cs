using System.Globalization;

namespace SagaDemo.Load.Workload;

/// <summary>
/// Weighted choice between the flows, written like <c>user=80,order=20</c>. Weights are relative
/// (they need not add up to 100); a flow left out is never chosen.
/// </summary>
public sealed class FlowMix
{
    readonly FlowKind[] _flows;
    readonly double[] _cumulative;

    FlowMix(FlowKind[] flows, double[] weights)
    {
        _flows = flows;
        _cumulative = new double[weights.Length];
        var total = weights.Sum();
        var running = 0.0;
        for (var i = 0; i < weights.Length; i++)
        {
            running += weights[i] / total;
            _cumulative[i] = running;
        }
        _cumulative[^1] = 1.0;
        Weights = flows.Zip(weights, (f, w) => (f, w / total)).ToDictionary(p => p.f, p => p.Item2);
    }

    /// <summary>Users only: the stock in the warehouse is finite, user sign-ups are not.</summary>
    public static FlowMix Default { get; } = new([FlowKind.User], [1.0]);

    /// <summary>Share of each flow, 0..1.</summary>
    public IReadOnlyDictionary<FlowKind, double> Weights { get; }

    public override string ToString() =>
        string.Join(",", Weights.Select(w => $"{w.Key.Name()}={(w.Value * 100).ToString("0.##", CultureInfo.InvariantCulture)}"));

    /// <summary>Picks a flow for a uniform random number in [0, 1).</summary>
    public FlowKind Pick(double uniform)
    {
        for (var i = 0; i < _cumulative.Length; i++)
            if (uniform < _cumulative[i])
                return _flows[i];
        return _flows[^1];
    }

    public static bool TryParse(string? text, out FlowMix mix, out string? error)
    {
        mix = Default;
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "the mix is empty; expected e.g. user=80,order=20";
            return false;
        }
        var flows = new List<FlowKind>();
        var weights = new List<double>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var pair = part.Split('=', 2, StringSplitOptions.TrimEntries);
            FlowKind? flow = pair[0].ToLowerInvariant() switch
            {
                "user" or "users" or "user-create" => FlowKind.User,
                "order" or "orders" or "order-create" => FlowKind.Order,
                _ => null,
            };
            if (flow is null)
            {
                error = $"unknown flow '{pair[0]}' in the mix; known flows: user, order";
                return false;
            }
            if (pair.Length != 2 || !double.TryParse(pair[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var weight)
                || weight < 0 || double.IsNaN(weight) || double.IsInfinity(weight))
            {
                error = $"'{part}' needs a non-negative weight, e.g. {pair[0]}=80";
                return false;
            }
            if (flows.Contains(flow.Value))
            {
                error = $"flow '{pair[0]}' appears twice in the mix";
                return false;
            }
            if (weight > 0)
            {
                flows.Add(flow.Value);
                weights.Add(weight);
            }
        }
        if (flows.Count == 0)
        {
            error = "every weight in the mix is zero";
            return false;
        }
        mix = new FlowMix([.. flows], [.. weights]);
        return true;
    }
}
