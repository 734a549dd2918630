using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Wschat.Hub.Hosting;
using Wschat.Outbound;
using Wschat.Tests.Infrastructure;

namespace Wschat.Tests.Hosting;

/// <summary>
/// The README's configuration table and the options classes say the same: every key an options class
/// binds (its <c>SectionName</c> and a public settable property) is a row, is really read from there, and
/// is bound by one class only; every key in the table is bound by one, or is on a short list below that says why not.
/// </summary>
public sealed partial class ConfigurationTableTests
{
    // Keys in the table that no options class of ours binds, and why.
    private static readonly Dictionary<string, string> s_notOptions = new(StringComparer.Ordinal)
    {
        ["--urls"] = "ASP.NET Core's own listen setting, which ListenChoice weighs against lblserver.conf",
        ["ASPNETCORE_URLS"] = "ASP.NET Core's own listen setting",
        ["ASPNETCORE_HTTP_PORTS"] = "ASP.NET Core's own listen setting (set by the official container images)",
        ["ASPNETCORE_HTTPS_PORTS"] = "ASP.NET Core's own listen setting",
        ["Kestrel:Endpoints"] = "Kestrel's own endpoints",
        [LegacyServerConfig.ConfigurationKey] = "read once, before the host is built, to find lblserver.conf",
    };

    // Sections bound to a framework's options class: the table lists the properties the server changes, not every one.
    private static readonly Dictionary<string, Type> s_frameworkSections = new(StringComparer.Ordinal)
    {
        ["Wschat:Sockets"] = typeof(SocketTransportOptions),
    };

    // Keys renamed by a move to a concern's own section: still read (the new key wins), and named in the new key's row.
    private static readonly Dictionary<string, string> s_legacyKeys = new(StringComparer.Ordinal)
    {
        ["Wschat:Limits:MaxQueuedBytes"] = "Wschat:Outbound:MaxQueuedBytes",
    };

    // Its default holds the build's version; the table writes it as <version>.
    private const string VersionedDefaultKey = "Wschat:ServerName";

    private static readonly Lazy<Dictionary<string, TableRow>> s_table = new(ReadTable);

    [Fact]
    public void Every_key_an_options_class_binds_is_in_the_README_configuration_table()
    {
        var missing = BoundKeys().Select(static bound => bound.Key).Where(static key => !s_table.Value.ContainsKey(key)).ToList();

        Assert.True(missing.Count == 0, "Not in the README's configuration table: " + string.Join(", ", missing));
    }

    [Fact]
    public void Every_key_in_the_README_configuration_table_is_bound_by_an_options_class()
    {
        var bound = BoundKeys().Select(static bound => bound.Key).ToHashSet(StringComparer.Ordinal);

        var unbound = s_table.Value.Keys
            .Where(key => !bound.Contains(key) && !s_notOptions.ContainsKey(key) && !IsFrameworkProperty(key))
            .ToList();

        Assert.True(unbound.Count == 0, "In the README's configuration table but bound by no options class: " + string.Join(", ", unbound));
    }

    [Fact]
    public void Every_default_in_the_README_configuration_table_is_the_options_class_s()
    {
        var wrong = (
            from bound in BoundKeys()
            where bound.Key != VersionedDefaultKey && s_table.Value.ContainsKey(bound.Key)
            let written = Written(bound.Options.GetProperty(bound.Key[(bound.Key.LastIndexOf(':') + 1)..])!.GetValue(Activator.CreateInstance(bound.Options)))
            let documented = s_table.Value[bound.Key].Default
            where documented != written && !documented.StartsWith(written + " (", StringComparison.Ordinal)
            select $"{bound.Key}: {documented} in the table, {written} in {bound.Options.Name}").ToList();

        Assert.True(wrong.Count == 0, "Defaults that differ: " + string.Join("; ", wrong));
    }

    [Fact]
    public void Every_key_is_bound_by_one_options_class_only()
    {
        var shared = BoundKeys().GroupBy(static bound => bound.Key).Where(static keys => keys.Count() > 1)
            .Select(static keys => $"{keys.Key} ({string.Join(", ", keys.Select(static bound => bound.Options.Name))})")
            .ToList();

        Assert.True(shared.Count == 0, "Bound by more than one options class: " + string.Join("; ", shared));
    }

    [Fact]
    public void Every_options_class_reads_its_keys_from_its_section_and_old_keys_are_still_read()
    {
        // The binder skips a section without children: give each one a key no class has.
        var reads = new ReadKeys(BoundKeys().Select(static bound => bound.Key[..bound.Key.LastIndexOf(':')] + ":Unbound"));
        var configuration = new ConfigurationBuilder().Add(reads).Build();
        using var services = new ServiceCollection().AddWschat(configuration).BuildServiceProvider();

        foreach (var options in BoundKeys().Select(static bound => bound.Options).Distinct())
        {
            var accessor = typeof(IOptions<>).MakeGenericType(options);
            _ = accessor.GetProperty(nameof(IOptions<object>.Value))!.GetValue(services.GetRequiredService(accessor));
        }

        var unread = BoundKeys().Select(static bound => bound.Key).Concat(s_legacyKeys.Keys).Where(key => !reads.Keys.Contains(key)).ToList();
        Assert.True(unread.Count == 0, "Never read: " + string.Join(", ", unread));
    }

    [Fact]
    public void Every_old_key_is_named_in_its_new_key_s_row()
    {
        Assert.All(s_legacyKeys, legacy => Assert.Contains($"`{legacy.Key}`", s_table.Value[legacy.Value].Row, StringComparison.Ordinal));
    }

    /// <summary>Each options class with a <c>SectionName</c>, in the server's assemblies, and the keys it binds.</summary>
    private static IEnumerable<(string Key, Type Options)> BoundKeys() =>
        from assembly in new[] { typeof(WschatServer).Assembly, typeof(OutboundOptions).Assembly }
        from type in assembly.GetTypes()
        let section = type.GetField("SectionName", BindingFlags.Public | BindingFlags.Static)
        where type.Name.EndsWith("Options", StringComparison.Ordinal) && section is { IsLiteral: true }
        from property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
        where property.SetMethod is { IsPublic: true }
        select ($"{section.GetRawConstantValue()}:{property.Name}", type);

    private static bool IsFrameworkProperty(string key) =>
        s_frameworkSections.TryGetValue(key[..key.LastIndexOf(':')], out var options)
        && options.GetProperty(key[(key.LastIndexOf(':') + 1)..]) is { SetMethod.IsPublic: true };

    /// <summary>
    /// The table's keys, each with its row and default: a cell may name several (<c>`A:B:C` / `D`</c>, D being
    /// <c>A:B:D</c>), their defaults then one for all or one each (<c>30 / 10</c>).
    /// </summary>
    private static Dictionary<string, TableRow> ReadTable()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "README.md"));
        var start = readme.IndexOf("\n## Configuration\n", StringComparison.Ordinal);
        var end = readme.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        var rows = new Dictionary<string, TableRow>(StringComparer.Ordinal);
        foreach (var row in readme[start..end].Split('\n').Where(static line => line.StartsWith("| `", StringComparison.Ordinal)))
        {
            string? section = null;
            var cells = row.Split('|');
            var names = CodeSpan().Matches(cells[1]);
            var defaults = cells[2].Trim().Split(" / ");
            foreach (var (name, i) in names.Select(static (name, i) => (name, i)))
            {
                var key = name.Groups[1].Value;
                if (key.Contains(':', StringComparison.Ordinal) && !key.StartsWith("--", StringComparison.Ordinal))
                {
                    section = key[..key.LastIndexOf(':')];
                }
                else if (section is not null && PropertyName().IsMatch(key))
                {
                    key = $"{section}:{key}";
                }

                rows.Add(key, new(row, defaults.Length == names.Count ? defaults[i] : cells[2].Trim()));
            }
        }

        return rows;
    }

    private static string Written(object? value) => value switch
    {
        null => "—",
        bool flag => flag ? "`true`" : "`false`",
        string text => $"`{text}`",
        Enum mode => $"`{mode.ToString().ToLowerInvariant()}`",
        IEnumerable<string> list when !list.Any() => "`[]`",
        IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
        _ => $"{value}",
    };

    private sealed record TableRow(string Row, string Default);

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex CodeSpan();

    [GeneratedRegex("^[A-Z][a-z][A-Za-z]*$")]
    private static partial Regex PropertyName();

    /// <summary>A configuration that notes every key asked for.</summary>
    private sealed class ReadKeys : ConfigurationProvider, IConfigurationSource
    {
        public ReadKeys(IEnumerable<string> keys)
        {
            foreach (var key in keys)
            {
                Data[key] = "";
            }
        }

        public HashSet<string> Keys { get; } = new(StringComparer.OrdinalIgnoreCase);

        public override bool TryGet(string key, out string? value)
        {
            lock (Keys)
            {
                Keys.Add(key);
            }

            return base.TryGet(key, out value);
        }

        public override IEnumerable<string> GetChildKeys(IEnumerable<string> earlierKeys, string? parentPath)
        {
            if (parentPath is not null)
            {
                lock (Keys)
                {
                    Keys.Add(parentPath);
                }
            }

            return base.GetChildKeys(earlierKeys, parentPath);
        }

        public IConfigurationProvider Build(IConfigurationBuilder builder) => this;
    }
}
