"""The Python ceiling: a bare Starlette app doing the workload's state changes, without validation.

Same routes, same state change (a dict per vendor: id -> cancelled?), same status codes as the
mock, JSON parsed and answered; no spec, no schema validation, no sessions, no middleware.
Run: `python benchmarks/ceiling.py PORT POOL`.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

sys.path.insert(0, str(Path(__file__).resolve().parent))
from workload import workloads


def build(pool: int) -> Starlette:
    load = workloads(pool)
    fresh = {name: dict.fromkeys(w.ids(), False) for name, w in load.items()}
    sessions: dict[str, dict[str, dict[str, bool]]] = {}

    def state(request: Request) -> dict[str, dict[str, bool]]:
        """The request's session, created from the pool on first use (like the mock's seeding)."""
        name = request.headers.get("x-mock-session", "default")
        found = sessions.get(name)
        if found is None:
            found = sessions[name] = {vendor: dict(ids) for vendor, ids in fresh.items()}
        return found

    async def body(request: Request) -> object:
        return json.loads(await request.body() or b"null")

    async def zoho_cancel(request: Request) -> Response:
        await body(request)
        if "authorization" not in request.headers:
            return JSONResponse({"code": "INVALID_TOKEN"}, 401)
        event_id = request.path_params["id"]
        if state(request)["zoho"].get(event_id) is not False:
            return JSONResponse({"data": [{"code": "NOT_ALLOWED", "status": "error"}]}, 400)
        state(request)["zoho"][event_id] = True
        return JSONResponse({"data": [{"code": "SUCCESS", "details": {"id": event_id}, "status": "success"}]})

    async def zoho_get(request: Request) -> Response:
        event_id = request.path_params["id"]
        if event_id not in state(request)["zoho"]:
            return JSONResponse({"data": [{"code": "INVALID_DATA"}]}, 400)
        return JSONResponse(
            {"data": [{"id": event_id, "$event_cancelled": state(request)["zoho"][event_id]}]}
        )

    async def graph_cancel(request: Request) -> Response:
        await body(request)
        event_id = request.path_params["id"]
        if state(request)["graph"].get(event_id) is not False:
            return JSONResponse({"error": {"code": "ErrorItemNotFound"}}, 404)
        state(request)["graph"][event_id] = True
        return Response(status_code=202)

    async def graph_get(request: Request) -> Response:
        event_id = request.path_params["id"]
        if state(request)["graph"].get(event_id) is not False:
            return JSONResponse({"error": {"code": "ErrorItemNotFound"}}, 404)
        return JSONResponse({"id": event_id, "isCancelled": False})

    async def meetbit_cancel(request: Request) -> Response:
        await body(request)
        event_id = request.path_params["id"]
        if state(request)["meetbit"].get(event_id) is not False:
            return PlainTextResponse("Resource object does not exist.", 404)
        state(request)["meetbit"][event_id] = True
        return JSONResponse({"id": int(event_id), "cancel_note": "bye"})

    async def meetbit_get(request: Request) -> Response:
        event_id = request.path_params["id"]
        if state(request)["meetbit"].get(event_id) is not False:
            return PlainTextResponse("Resource object does not exist.", 404)
        return JSONResponse({"id": int(event_id)})

    async def cronofy_agents(request: Request) -> Response:
        data = await body(request)
        key = data.get("scheduling_key") if isinstance(data, dict) else None
        if request.method == "DELETE" and key in state(request)["cronofy"]:
            state(request)["cronofy"][key] = True
        elif request.method == "POST" and key is not None:
            state(request)["cronofy"][key] = False
        return Response(status_code=202)

    async def meetergo_cancel(request: Request) -> Response:
        await body(request)
        appointment = request.path_params["id"]
        if appointment not in state(request)["meetergo"]:
            return JSONResponse({"statusCode": 404, "message": "Not Found"}, 404)
        if state(request)["meetergo"][appointment]:
            return JSONResponse({"statusCode": 400, "message": "Appointment is already cancelled"}, 400)
        state(request)["meetergo"][appointment] = True
        return JSONResponse({"id": appointment, "isCancelled": True})

    async def meetergo_get(request: Request) -> Response:
        appointment = request.path_params["id"]
        if appointment not in state(request)["meetergo"]:
            return JSONResponse({"statusCode": 404, "message": "Not Found"}, 404)
        return JSONResponse({"id": appointment, "isCancelled": state(request)["meetergo"][appointment]})

    return Starlette(
        routes=[
            Route("/zoho/crm/{version}/Events/{id}/actions/cancel", zoho_cancel, methods=["POST"]),
            Route("/zoho/crm/{version}/Events/{id}", zoho_get, methods=["GET"]),
            Route("/graph/v1.0/me/events/{id}/cancel", graph_cancel, methods=["POST"]),
            Route("/graph/v1.0/me/events/{id}", graph_get, methods=["GET"]),
            Route(
                "/meetbit/api/public/v2.0/calendars/{cal}/events/{id}/cancel",
                meetbit_cancel,
                methods=["POST"],
            ),
            Route("/meetbit/api/public/v2.0/calendars/{cal}/events/{id}", meetbit_get, methods=["GET"]),
            Route("/cronofy/v1/meeting_agents", cronofy_agents, methods=["POST", "DELETE"]),
            Route("/meetergo/v4/appointment/{id}/cancel", meetergo_cancel, methods=["POST"]),
            Route("/meetergo/v4/appointment/{id}", meetergo_get, methods=["GET"]),
            Route("/__admin/health", lambda _request: JSONResponse({"status": "ok"}), methods=["GET"]),
        ]
    )


if __name__ == "__main__":
    port, pool = int(sys.argv[1]), int(sys.argv[2])
    # the server settings `cancel-contracts serve` runs with (at its default log level), its event
    # loop included (`mockserver.http.eventloop`: uvloop, accepting every waiting connection)
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from mockserver.http.eventloop import LOOP

    config = uvicorn.Config(
        build(pool),
        host="127.0.0.1",
        port=port,
        log_level="warning",
        access_log=False,
        lifespan="off",
        loop=LOOP,
    )
    sock = config.bind_socket()
    sock.listen(config.backlog)
    uvicorn.Server(config).run(sockets=[sock])
