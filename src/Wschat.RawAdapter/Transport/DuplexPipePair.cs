using System.IO.Pipelines;

namespace Wschat.RawAdapter.Transport;

/// <summary>Two pipes crossed: what the socket side writes, the hub side reads, and back.</summary>
internal sealed class DuplexPipePair
{
    public DuplexPipePair(PipeOptions inputOptions, PipeOptions outputOptions)
    {
        var input = new Pipe(inputOptions);
        var output = new Pipe(outputOptions);
        Transport = new DuplexPipe(input.Reader, output.Writer);
        Application = new DuplexPipe(output.Reader, input.Writer);
    }

    /// <summary>The hub's side: reads client frames, writes server messages.</summary>
    public IDuplexPipe Transport { get; }

    /// <summary>The socket's side: writes client frames, reads server messages.</summary>
    public IDuplexPipe Application { get; }

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
