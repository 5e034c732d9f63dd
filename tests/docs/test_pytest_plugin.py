import httpx


def test_cancel_a_zoho_meeting(cancel_contracts_mock):
    mock = cancel_contracts_mock
    response = httpx.post(
        mock.urls["zoho"] + "/crm/v8/Events/4876876000001081142/actions/cancel",
        headers={**mock.headers, "Authorization": "Zoho-oauthtoken 1000.mock.zoho.all"},
        json={"data": [{"send_cancelling_mail": True}]},
    )
    assert response.status_code == 200
    assert response.json()["data"][0]["code"] == "SUCCESS"

    outbox = httpx.get(mock.admin_url + "/outbox", headers=mock.headers).json()
    assert [message["kind"] for message in outbox["messages"]] == ["mail.cancellation"]
