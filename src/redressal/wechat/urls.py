from django.urls import path

from redressal.wechat import views

app_name = "wechat"

urlpatterns = [path("callback", views.callback, name="callback")]
