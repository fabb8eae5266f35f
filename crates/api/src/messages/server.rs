//! Messages about inference servers: reaching them, what they answered, what the policy allows,
//! and the servers registered as models.

catalogue! {
    /// Nothing answered at the address.
    unreachable(url, detail) = "server.unreachable" {
        zh: "无法连接推理服务器 {url}（{detail}）：请确认服务器已启动，地址和端口无误",
        en: "cannot reach the inference server {url} ({detail}): check that it runs and that the address and port are right",
    }
    /// The connection was not made within the connect timeout.
    connect_timeout(url, detail) = "server.connect_timeout" {
        zh: "连接推理服务器 {url} 超时（{detail}）：请检查网络或稍后再试",
        en: "connecting to the inference server {url} timed out ({detail}): check the network or try again later",
    }
    /// No first token within the first-token timeout.
    first_token_timeout(url, detail) = "server.first_token_timeout" {
        zh: "推理服务器 {url} 迟迟没有开始回答（{detail}）：服务器可能正忙，请稍后再试",
        en: "the inference server {url} did not begin to answer ({detail}): it may be busy, try again later",
    }
    /// The stream stopped after it had begun.
    stalled(url, detail) = "server.stalled" {
        zh: "推理服务器 {url} 在回答途中停止响应（{detail}）：已收到的部分作为未完成的回答保存",
        en: "the inference server {url} stopped answering half-way ({detail}): what arrived is kept as an unfinished answer",
    }
    /// The connection broke during the answer.
    interrupted(url, detail) = "server.interrupted" {
        zh: "与推理服务器 {url} 的连接在回答途中中断（{detail}）：已收到的部分作为未完成的回答保存",
        en: "the connection to the inference server {url} broke during the answer ({detail}): what arrived is kept as an unfinished answer",
    }
    /// 401 or 403: the key is wrong or missing.
    unauthorized(url, status, detail) = "server.unauthorized" {
        zh: "推理服务器 {url} 拒绝了访问（HTTP {status}：{detail}）：请向信息化部门确认 API 密钥文件",
        en: "the inference server {url} refused access (HTTP {status}: {detail}): ask IT about the API key file",
    }
    /// 429: too many requests.
    busy(url, detail) = "server.busy" {
        zh: "推理服务器 {url} 当前请求过多（HTTP 429：{detail}）：请稍后再试",
        en: "the inference server {url} has too many requests (HTTP 429: {detail}): try again later",
    }
    /// Any other error status.
    status(url, status, detail) = "server.status" {
        zh: "推理服务器 {url} 返回错误（HTTP {status}：{detail}）",
        en: "the inference server {url} answered with an error (HTTP {status}: {detail})",
    }
    /// The answer is not what the protocol says.
    malformed(url, detail) = "server.malformed" {
        zh: "推理服务器 {url} 的应答格式不对（{detail}）：地址可能指向了别的服务，请确认是 OpenAI 兼容接口",
        en: "the inference server {url} answered in an unexpected form ({detail}): the address may point at another service; it must be OpenAI-compatible",
    }
    /// The answer exceeded the size limit.
    too_large(url, detail) = "server.too_large" {
        zh: "推理服务器 {url} 的应答过大（{detail}），已停止接收：已收到的部分作为未完成的回答保存",
        en: "the answer of the inference server {url} is too large ({detail}) and was cut off: what arrived is kept as an unfinished answer",
    }
    /// TLS failed: a certificate from another CA, or a name mismatch.
    tls(url, detail) = "server.tls" {
        zh: "与推理服务器 {url} 的加密连接未通过校验（{detail}）：证书不是由受信任的单位 CA 签发或名称不符，未发送任何内容",
        en: "the secure connection to the inference server {url} failed its checks ({detail}): the certificate is not from the trusted CA or names another host; nothing was sent",
    }
    /// The server does not serve the model id.
    no_such_model(url, detail) = "server.no_such_model" {
        zh: "推理服务器 {url} 没有这个模型（{detail}）：请用 --model-id 指定服务器上的模型",
        en: "the inference server {url} does not serve this model ({detail}): name one of its models with --model-id",
    }
    /// The policy does not name the server.
    not_allowed(url, file) = "server.not_allowed" {
        zh: "单位管理策略（{file}）没有列出推理服务器 {url}：未向它发送任何内容",
        en: "the admin policy ({file}) does not name the inference server {url}: nothing was sent to it",
    }
    /// Without a policy, only servers on this computer may be used.
    not_loopback(url) = "server.not_loopback" {
        zh: "推理服务器 {url} 不在本机：只有单位管理策略列出的服务器才能使用，未向它发送任何内容",
        en: "the inference server {url} is not on this computer: only servers the admin policy names may be used; nothing was sent",
    }
    /// The server may not receive material of this level.
    above_ceiling(url, level, ceiling) = "server.above_ceiling" {
        zh: "内容为“{level}”级，推理服务器 {url} 最高只能接收“{ceiling}”级：未向它发送任何内容",
        en: "the material is {level}, but the inference server {url} may receive at most {ceiling}: nothing was sent",
    }
    /// The API key file cannot be read.
    key_unreadable(path, detail) = "server.key_unreadable" {
        zh: "无法读取 API 密钥文件 {path}（{detail}）",
        en: "cannot read the API key file {path} ({detail})",
    }
    /// The API key file can be read by others.
    key_open(path) = "server.key_open" {
        zh: "API 密钥文件 {path} 其他用户也能读取：请执行 chmod 600 {path} 后再试",
        en: "the API key file {path} can be read by other users: run chmod 600 {path} and try again",
    }
    /// The key file is empty.
    key_empty(path) = "server.key_empty" {
        zh: "API 密钥文件 {path} 是空的",
        en: "the API key file {path} is empty",
    }
    /// A server was down and the next answered.
    failover(down, next, detail) = "server.failover" {
        zh: "推理服务器 {down} 无法使用（{detail}），已改用 {next}",
        en: "the inference server {down} is unavailable ({detail}); {next} answers instead",
    }
    /// `model add-server` with a URL that is not http(s)://host:port.
    bad_url(url) = "server.bad_url" {
        zh: "“{url}”不是推理服务器地址：请写成 http://主机:端口 或 https://主机:端口",
        en: "“{url}” is not an inference server address: write http://host:port or https://host:port",
    }
    /// A CA file that is given but cannot be read.
    ca_missing(path) = "server.ca_missing" {
        zh: "找不到 CA 证书文件 {path}",
        en: "the CA certificate file {path} does not exist",
    }
    /// The GGUF-only command on a server model.
    not_a_file(name) = "server.not_a_file" {
        zh: "模型“{name}”在推理服务器上，没有本地文件：此操作只适用于本地模型",
        en: "the model `{name}` is on an inference server and has no local file: this works on local models only",
    }
}
