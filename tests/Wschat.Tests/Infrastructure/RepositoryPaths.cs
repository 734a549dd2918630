namespace Wschat.Tests.Infrastructure;

public static class RepositoryPaths
{
    /// <summary>The folder holding Wschat.sln, found upwards from the test binaries.</summary>
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Wschat.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Wschat.sln not found above " + AppContext.BaseDirectory);
    }
}
