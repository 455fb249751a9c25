using System.Globalization;
using SagaDemo.Services.Operations;
using SagaDemo.Services.Operations.Browsing;

namespace SagaDemo.Host.OperationsConsole.Browsing;

/// <summary>Reads <c>GET /operations</c>' query; every bad value is named in the 400's errors.</summary>
public static class OperationQueryParser
{
    public const int DefaultLimit = 50;
    public const int MaxOffset = 100_000;
    static readonly string[] Statuses = [OperationStatus.Pending, OperationStatus.Completed, OperationStatus.Failed];
    static readonly string[] Types = [OperationTypes.UserCreate, OperationTypes.OrderCreate];

    public static (OperationFilter? Filter, Dictionary<string, string[]> Errors) Parse(IQueryCollection query, string? owner, bool allOwners)
    {
        var errors = new Dictionary<string, string[]>();
        string? One(string name, Func<string, bool> valid, string rule)
        {
            var value = query[name].ToString();
            if (value.Length == 0)
                return null;
            if (query[name].Count > 1 || !valid(value))
                errors[name] = [rule];
            return value;
        }
        var type = One("type", Types.Contains, $"One of: {string.Join(", ", Types)}.");
        var status = One("status", Statuses.Contains, $"One of: {string.Join(", ", Statuses)}.");
        var from = One("from", v => Time(v) is not null, "An ISO 8601 date and time with offset, e.g. 2026-12-01T20:00:00Z.");
        var to = One("to", v => Time(v) is not null, "An ISO 8601 date and time with offset, e.g. 2026-12-01T21:00:00Z.");
        var id = One("id", v => v.Length <= 36 && v.All(c => char.IsAsciiHexDigit(c) || c == '-'),
            "Up to 36 hex digits and dashes: a piece of an operation id.");
        var offset = One("offset", v => int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var o) && o <= MaxOffset,
            $"A whole number from 0 to {MaxOffset}.");
        var limit = One("limit", v => int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var l) && l is > 0 and <= OperationFilter.MaxLimit,
            $"A whole number from 1 to {OperationFilter.MaxLimit}.");
        if (errors.Count > 0)
            return (null, errors);
        return (new OperationFilter(owner, allOwners, type, status, Time(from), Time(to), id?.ToLowerInvariant(),
            offset is null ? 0 : int.Parse(offset, CultureInfo.InvariantCulture),
            limit is null ? DefaultLimit : int.Parse(limit, CultureInfo.InvariantCulture)), errors);
    }

    static DateTimeOffset? Time(string? value) =>
        value is not null && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : null;
}
