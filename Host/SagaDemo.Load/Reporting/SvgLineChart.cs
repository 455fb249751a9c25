using System.Globalization;
using System.Net;
using System.Text;

namespace SagaDemo.Load.Reporting;

/// <summary>One line of a chart: a value per second (null where there is nothing to show, which breaks the line).</summary>
public sealed record ChartSeries(string Name, string Color, IReadOnlyList<double?> Values);

/// <summary>A self-contained SVG line chart over seconds: axes, grid, legend and an optional vertical marker.</summary>
public static class SvgLineChart
{
    const int Width = 1040;
    const int Height = 300;
    const int Left = 64;
    const int Right = 20;
    const int Top = 40;
    const int Bottom = 44;

    public static string Render(string title, string yLabel, IReadOnlyList<ChartSeries> series, double? markerAtSecond = null,
        string? markerLabel = null)
    {
        var seconds = Math.Max(1, series.Max(s => s.Values.Count));
        var peak = series.SelectMany(s => s.Values).Where(v => v is not null).Select(v => v!.Value).DefaultIfEmpty(0).Max();
        var (yMax, yStep) = NiceScale(peak);
        // The x axis ends at the last second (no empty tail); ticks still fall on round steps.
        var xStep = NiceScale(seconds).Step;
        var xMax = (double)seconds;
        var plotW = Width - Left - Right;
        var plotH = Height - Top - Bottom;
        double X(double second) => Left + second / xMax * plotW;
        double Y(double value) => Top + plotH - value / yMax * plotH;

        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture,
            $"""<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {Width} {Height}" width="100%" role="img" aria-label="{Esc(title)}" class="chart">""");
        svg.Append(CultureInfo.InvariantCulture, $"""<text x="{Left}" y="22" class="title">{Esc(title)}</text>""");

        for (var v = 0.0; v <= yMax + yStep / 2; v += yStep)
        {
            svg.Append(CultureInfo.InvariantCulture,
                $"""<line x1="{Left}" x2="{Width - Right}" y1="{F(Y(v))}" y2="{F(Y(v))}" class="grid"/>""");
            svg.Append(CultureInfo.InvariantCulture,
                $"""<text x="{Left - 8}" y="{F(Y(v) + 4)}" text-anchor="end" class="tick">{Label(v, yStep)}</text>""");
        }
        for (var t = 0.0; t <= xMax + 1e-9; t += xStep)
            svg.Append(CultureInfo.InvariantCulture,
                $"""<text x="{F(X(t))}" y="{Height - Bottom + 18}" text-anchor="middle" class="tick">{Label(t, xStep)}</text>""");
        svg.Append(CultureInfo.InvariantCulture,
            $"""<line x1="{Left}" x2="{Width - Right}" y1="{F(Y(0))}" y2="{F(Y(0))}" class="axis"/>""");
        svg.Append(CultureInfo.InvariantCulture,
            $"""<text x="{Left + plotW / 2}" y="{Height - 6}" text-anchor="middle" class="label">seconds since the measured window started</text>""");
        svg.Append(CultureInfo.InvariantCulture,
            $"""<text transform="translate(16 {Top + plotH / 2}) rotate(-90)" text-anchor="middle" class="label">{Esc(yLabel)}</text>""");

        if (markerAtSecond is { } marker && marker > 0 && marker < xMax)
        {
            svg.Append(CultureInfo.InvariantCulture,
                $"""<line x1="{F(X(marker))}" x2="{F(X(marker))}" y1="{Top}" y2="{Top + plotH}" class="marker"/>""");
            if (markerLabel is not null)
                svg.Append(CultureInfo.InvariantCulture,
                    $"""<text x="{F(X(marker) + 4)}" y="{Top + 12}" class="tick">{Esc(markerLabel)}</text>""");
        }

        foreach (var line in series)
        {
            // Each value describes a whole second; it is drawn at that second's middle.
            var path = new StringBuilder();
            var segmentStart = -1;
            for (var i = 0; i < line.Values.Count; i++)
            {
                if (line.Values[i] is not { } v)
                {
                    segmentStart = -1;
                    continue;
                }
                path.Append(CultureInfo.InvariantCulture, $"{(segmentStart < 0 ? "M" : "L")}{F(X(i + 0.5))} {F(Y(v))} ");
                var isolated = (i == 0 || line.Values[i - 1] is null) && (i + 1 >= line.Values.Count || line.Values[i + 1] is null);
                if (isolated)
                    svg.Append(CultureInfo.InvariantCulture,
                        $"""<circle cx="{F(X(i + 0.5))}" cy="{F(Y(v))}" r="2.5" fill="{line.Color}"/>""");
                segmentStart = segmentStart < 0 ? i : segmentStart;
            }
            if (path.Length > 0)
                svg.Append(CultureInfo.InvariantCulture,
                    $"""<path d="{path.ToString().TrimEnd()}" fill="none" stroke="{line.Color}" stroke-width="2" stroke-linejoin="round" class="series"><title>{Esc(line.Name)}</title></path>""");
        }

        // Right-aligned legend, written in series order so it reads in the same order as it is drawn.
        var legendX = Width - Right - series.Sum(l => 7 * l.Name.Length + 34);
        foreach (var line in series)
        {
            svg.Append(CultureInfo.InvariantCulture,
                $"""<line x1="{legendX}" x2="{legendX + 20}" y1="18" y2="18" stroke="{line.Color}" stroke-width="3"/>""");
            svg.Append(CultureInfo.InvariantCulture, $"""<text x="{legendX + 25}" y="22" class="legend">{Esc(line.Name)}</text>""");
            legendX += 7 * line.Name.Length + 34;
        }
        svg.Append("</svg>");
        return svg.ToString();
    }

    /// <summary>An axis maximum and tick step of 1, 2 or 5 times a power of ten, with about five ticks.</summary>
    public static (double Max, double Step) NiceScale(double peak)
    {
        if (peak <= 0 || double.IsNaN(peak))
            return (1, 0.2);
        var rough = peak / 5;
        var power = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        var step = (rough / power) switch
        {
            <= 1 => power,
            <= 2 => 2 * power,
            <= 5 => 5 * power,
            _ => 10 * power,
        };
        return (Math.Ceiling(peak / step - 1e-9) * step, step);
    }

    static string Label(double value, double step) =>
        value.ToString(step >= 1 ? "0" : step >= 0.1 ? "0.0" : "0.00", CultureInfo.InvariantCulture);

    static string F(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);

    static string Esc(string s) => WebUtility.HtmlEncode(s);
}
