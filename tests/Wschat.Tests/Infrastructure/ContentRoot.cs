using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;

namespace Wschat.Tests.Infrastructure;

/// <summary>A host environment whose content root (where a relative data directory goes) is <paramref name="path"/>.</summary>
internal sealed class ContentRoot(string path) : IHostEnvironment
{
    public string EnvironmentName { get; set; } = Environments.Production;

    public string ApplicationName { get; set; } = "Wschat.Tests";

    public string ContentRootPath { get; set; } = path;

    public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
}
