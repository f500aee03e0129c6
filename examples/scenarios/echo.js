// Echo: answers with every variable the scenario received, as JSON.
// Try: curl -X POST 'http://localhost:8080/api/webrequest/echo?x=1' -H 'Content-Type: application/json' -d '{"hello":"world"}'
return { event, script, user, url, method, headers, cookies, query, body, files, rawBody };
