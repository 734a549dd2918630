using System.Reflection;
using System.Reflection.Emit;

namespace Wschat.Tests.Infrastructure;

/// <summary>
/// Which namespaces of a compiled assembly use which others: every type a type names in its signatures, its locals
/// and the instructions of its methods, generic methods' type arguments included (compiler-made closures count as
/// their declaring type's).
/// </summary>
internal static class NamespaceDependencies
{
    private const BindingFlags Declared = BindingFlags.DeclaredOnly | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static;

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(static field => (OpCode)field.GetValue(null)!)
        .ToDictionary(static code => code.Value);

    /// <summary>For each namespace of <paramref name="assembly"/>, the other namespaces of it that it uses (the compiler's own global types left out).</summary>
    public static Dictionary<string, HashSet<string>> Of(Assembly assembly)
    {
        var uses = new Dictionary<string, HashSet<string>>();
        foreach (var type in assembly.GetTypes())
        {
            var from = NamespaceOf(type);
            foreach (var used in TypesUsedBy(type).Where(used => used.Assembly == assembly).Select(NamespaceOf).Where(to => to != from && to.Length > 0))
            {
                (uses.TryGetValue(from, out var set) ? set : uses[from] = []).Add(used);
            }
        }

        return uses;
    }

    /// <summary>Fails naming every namespace that reaches itself, with what it uses.</summary>
    public static void AssertNoCycle(Dictionary<string, HashSet<string>> uses)
    {
        var cycles = uses.Keys.Where(start => Reaches(uses, start, start, [])).Order().ToList();
        Assert.True(cycles.Count == 0, "namespaces in a cycle: " + string.Join("; ", cycles.Select(ns => $"{ns} uses {string.Join(", ", uses[ns].Order())}")));
    }

    private static bool Reaches(Dictionary<string, HashSet<string>> uses, string from, string target, HashSet<string> seen) =>
        uses.TryGetValue(from, out var next) && next.Any(to => to == target || (seen.Add(to) && Reaches(uses, to, target, seen)));

    private static string NamespaceOf(Type type)
    {
        while (type.DeclaringType is { } outer)
        {
            type = outer;
        }

        return type.Namespace ?? "";
    }

    private static IEnumerable<Type> TypesUsedBy(Type type)
    {
        IEnumerable<Type> named = [.. type.GetInterfaces(), .. type.BaseType is { } baseType ? [baseType] : Array.Empty<Type>()];
        named = named.Concat(type.GetFields(Declared).Select(static field => field.FieldType));
        foreach (var method in type.GetMethods(Declared).Cast<MethodBase>().Concat(type.GetConstructors(Declared)))
        {
            named = named.Concat(method.GetParameters().Select(static parameter => parameter.ParameterType));
            if (method is MethodInfo { ReturnType: var returned })
            {
                named = named.Append(returned);
            }

            if (method.GetMethodBody() is { } body)
            {
                named = named.Concat(body.LocalVariables.Select(static local => local.LocalType)).Concat(TypesInInstructions(method, body.GetILAsByteArray() ?? []));
            }
        }

        return named.SelectMany(Unwrap);
    }

    /// <summary>The declaring types of the members and the types the method's instructions name.</summary>
    private static IEnumerable<Type> TypesInInstructions(MethodBase method, byte[] il)
    {
        var typeArguments = method.DeclaringType is { IsGenericType: true } generic ? generic.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        for (var at = 0; at < il.Length;)
        {
            var value = il[at] == 0xFE ? (short)(0xFE00 | il[at + 1]) : il[at];
            var code = OpCodesByValue[value];
            at += code.Size;
            switch (code.OperandType)
            {
                case OperandType.InlineField or OperandType.InlineMethod or OperandType.InlineTok or OperandType.InlineType:
                    var member = method.Module.ResolveMember(BitConverter.ToInt32(il, at), typeArguments, methodArguments);
                    if ((member as Type ?? member?.DeclaringType) is { } named)
                    {
                        yield return named;
                    }

                    // A generic method's type arguments are named there too: features.Get<T>().
                    if (member is MethodInfo { IsGenericMethod: true } called)
                    {
                        foreach (var argument in called.GetGenericArguments())
                        {
                            yield return argument;
                        }
                    }

                    break;
            }

            at += code.OperandType switch
            {
                OperandType.InlineNone => 0,
                OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                OperandType.InlineVar => 2,
                OperandType.InlineI8 or OperandType.InlineR => 8,
                OperandType.InlineSwitch => 4 + (4 * BitConverter.ToInt32(il, at)),
                _ => 4,
            };
        }
    }

    /// <summary>A type with the types inside it: generic arguments, element types.</summary>
    private static IEnumerable<Type> Unwrap(Type type) =>
        type.HasElementType ? Unwrap(type.GetElementType()!)
        : type.IsGenericType ? type.GetGenericArguments().SelectMany(Unwrap).Prepend(type.GetGenericTypeDefinition())
        : type.IsGenericParameter ? []
        : [type];
}
