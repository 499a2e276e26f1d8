from redressal.domain.assistant import CONFIDENCE_THRESHOLD, asks_for_person, decide


def test_answered_above_threshold():
    assert decide("信用卡年费怎么收", 0.9).handover is False


def test_low_confidence_hands_over():
    out = decide("信用卡年费怎么收", CONFIDENCE_THRESHOLD - 0.01)
    assert (out.handover, out.reason) == (True, "low_confidence")
    assert decide("随便问问", None).reason == "low_confidence"


def test_asking_for_a_person_wins_over_a_good_answer():
    for text in ("转人工", "我要人工客服", "Can I talk to an agent?", "HUMAN please"):
        out = decide(text, 0.99)
        assert (out.handover, out.reason) == (True, "asked_for_person"), text
    assert asks_for_person("agents of change")  == ()


def test_complaint_intent_hands_over_with_its_reasons():
    out = decide("你们乱扣我钱，我要去银保监投诉", 0.95, ("threat_regulator", "money_lost"))
    assert out.handover and out.reason == "complaint_intent"
    assert out.details == ("threat_regulator", "money_lost")
